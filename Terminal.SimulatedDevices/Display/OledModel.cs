namespace Terminal.SimulatedDevices.Display;

/// <summary>
/// A byte-level model of a 128x64 OLED controller on I2C: it parses control bytes (SSD1306 datasheet 8.1.5.2:
/// Co bit 7, D/C# bit 6, other bits zero), commands with their parameter bytes, and display data into its own RAM.
/// It is strict: a reserved control bit, an unknown command, a command cut off by the end of a write and data
/// written where the controller would not take it throw <see cref="InvalidDataException"/> (also counted in
/// <see cref="ProtocolErrors"/>), so a driver bug fails a test and shows in the simulator instead of passing
/// silently. Thread-safe: one writer (the firmware) and any number of viewers. A write allocates nothing unless
/// <see cref="KeepLog"/> is set, so the firmware's allocation tests measure the firmware alone.
/// </summary>
public abstract class OledModel
{
    public const int Width = 128;
    public const int Height = 64;

    private readonly object _gate = new();
    private readonly byte[] _pending = new byte[8];
    private int _pendingCount;
    private int _pendingLength;

    protected OledModel(int resetContrast)
    {
        Contrast = resetContrast;
    }

    /// <summary>False: every write is NACKed (the module is unplugged or unpowered).</summary>
    public bool Connected { get; set; } = true;

    /// <summary>Decides the fault for the n-th write (0-based, counting every attempt).</summary>
    public Func<int, WriteFault> Faults { get; set; } = _ => WriteFault.None;

    /// <summary>Every write attempt, as sent (also failed ones), while <see cref="KeepLog"/> is set.</summary>
    public List<byte[]> Log { get; } = new();

    /// <summary>Keeps <see cref="Log"/> and <see cref="Commands"/>.</summary>
    public bool KeepLog { get; set; }

    public int Attempts { get; private set; }

    public int FailedWrites { get; private set; }

    /// <summary>Bytes handed to the bus (control bytes included, address bytes not).</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>Bytes on the wire: payload plus one address byte per write.</summary>
    public long WireBytes => PayloadBytes + Attempts;

    /// <summary>Writes the controller refused as malformed; <see cref="LastProtocolError"/> says the latest.</summary>
    public int ProtocolErrors { get; private set; }

    public string? LastProtocolError { get; private set; }

    /// <summary>Told of each malformed write as it happens (the simulator logs it: a driver bug).</summary>
    public Action<string>? ProtocolErrorSeen { get; set; }

    /// <summary>Counts writes the controller took (a viewer redraws when it changes).</summary>
    public int Version { get; private set; }

    public bool DisplayOn { get; protected set; }

    public bool Inverted { get; protected set; }

    public int Contrast { get; protected set; }

    /// <summary>Every complete command, opcode and parameters, in order, while <see cref="KeepLog"/> is set.</summary>
    public List<byte[]> Commands { get; } = new();

    public void ResetCounters()
    {
        lock (_gate)
        {
            Attempts = 0;
            FailedWrites = 0;
            PayloadBytes = 0;
            Log.Clear();
        }
    }

    /// <summary>One I2C write to the controller's address: false when not acknowledged (or cut short).</summary>
    public bool Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            if (KeepLog)
            {
                Log.Add(buffer.AsSpan(offset, count).ToArray());
            }

            WriteFault fault = Connected ? Faults(Attempts) : WriteFault.Nack;
            Attempts++;
            PayloadBytes += count;
            try
            {
                switch (fault)
                {
                    case WriteFault.Nack:
                        FailedWrites++;
                        return false;
                    case WriteFault.Throw:
                        FailedWrites++;
                        throw new IOException("simulated I2C bus error");
                    case WriteFault.Partial:
                        FailedWrites++;
                        Receive(buffer, offset, count / 2, partial: true);
                        return false;
                    default:
                        Receive(buffer, offset, count, partial: false);
                        Version++;
                        return true;
                }
            }
            catch (InvalidDataException e)
            {
                ProtocolErrors++;
                LastProtocolError = e.Message;
                ProtocolErrorSeen?.Invoke(e.Message);
                throw;
            }
        }
    }

    /// <summary>The visible 128x64 image in framebuffer layout (page-major, bit 0 = the page's top row).</summary>
    public byte[] VisibleRam()
    {
        var image = new byte[Width * Height / 8];
        lock (_gate)
        {
            for (int page = 0; page < Height / 8; page++)
            {
                for (int x = 0; x < Width; x++)
                {
                    image[page * Width + x] = VisibleByte(page, x);
                }
            }
        }

        return image;
    }

    /// <summary>The pixel as the glass shows it (display off and inversion applied).</summary>
    public bool IsLit(int x, int y)
    {
        lock (_gate)
        {
            return DisplayOn && (((VisibleByte(y >> 3, x) >> (y & 7)) & 1) != 0) != Inverted;
        }
    }

    /// <summary>The picture on the glass as rows of pixels: <c>pixels[y * 128 + x]</c> = lit.</summary>
    public bool[] Snapshot()
    {
        var pixels = new bool[Width * Height];
        lock (_gate)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    bool on = ((VisibleByte(y >> 3, x) >> (y & 7)) & 1) != 0;
                    pixels[y * Width + x] = DisplayOn && on != Inverted;
                }
            }
        }

        return pixels;
    }

    /// <summary>Total bytes of the command starting with <paramref name="opcode"/>; throws for unknown opcodes.</summary>
    protected abstract int CommandLength(byte opcode);

    /// <summary>Carries out a complete command: <c>command[0]</c> is the opcode, then its parameters (the buffer is reused).</summary>
    protected abstract void Execute(byte[] command);

    protected abstract void Data(byte b);

    /// <summary>Under the lock: the RAM byte shown at column <paramref name="x"/> of page <paramref name="page"/> on the glass.</summary>
    protected abstract byte VisibleByte(int page, int x);

    private void Receive(byte[] bytes, int offset, int count, bool partial)
    {
        int i = offset;
        count += offset;
        while (i < count)
        {
            byte control = bytes[i++];
            if ((control & 0x3F) != 0)
            {
                throw new InvalidDataException($"control byte {control:X2} has reserved bits set");
            }

            bool data = (control & 0x40) != 0;
            bool single = (control & 0x80) != 0;
            int end = single ? Math.Min(i + 1, count) : count;
            for (; i < end; i++)
            {
                if (data)
                {
                    if (_pendingCount > 0)
                    {
                        throw new InvalidDataException("display data inside an unfinished command");
                    }

                    Data(bytes[i]);
                }
                else
                {
                    CommandByte(bytes[i]);
                }
            }
        }

        if (_pendingCount > 0)
        {
            // Assumption: a new START resets the command parser, so a cut-off command is lost.
            byte opcode = _pending[0];
            _pendingCount = 0;
            if (!partial)
            {
                throw new InvalidDataException($"write ended inside command {opcode:X2}");
            }
        }
    }

    private void CommandByte(byte b)
    {
        if (_pendingCount == 0)
        {
            _pendingLength = CommandLength(b);
        }

        _pending[_pendingCount++] = b;
        if (_pendingCount == _pendingLength)
        {
            _pendingCount = 0;
            if (KeepLog)
            {
                Commands.Add(_pending.AsSpan(0, _pendingLength).ToArray());
            }

            Execute(_pending);
        }
    }
}
