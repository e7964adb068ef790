using Terminal.Drivers.Ports;

namespace Terminal.Tests.Display;

/// <summary>How a simulated write fails.</summary>
internal enum WriteFault
{
    None,

    /// <summary>Address not acknowledged: the controller sees nothing; Write returns false.</summary>
    Nack,

    /// <summary>The controller receives only the first half of the bytes; Write returns false.</summary>
    Partial,

    /// <summary>The binding throws instead of returning false.</summary>
    Throw,
}

/// <summary>
/// A byte-level model of an OLED controller on I2C: it parses control bytes (SSD1306 datasheet 8.1.5.2:
/// Co bit 7, D/C# bit 6, other bits zero), commands with their parameter bytes, and display data into its
/// own RAM. It is strict: unknown commands, commands cut off by the end of a write and data written where
/// the controller would not accept it throw, so a driver bug fails the test instead of passing silently.
/// </summary>
internal abstract class OledModel : II2cBus
{
    private readonly List<byte> _pending = new();
    private int _pendingLength;

    /// <summary>Decides the fault for the n-th write (0-based, counting every attempt).</summary>
    public Func<int, WriteFault> Faults { get; set; } = _ => WriteFault.None;

    /// <summary>Every write attempt, as sent (also failed ones).</summary>
    public List<byte[]> Log { get; } = new();

    public bool KeepLog { get; set; }

    public int Attempts { get; private set; }

    public int FailedWrites { get; private set; }

    /// <summary>Bytes handed to the bus (control bytes included, address bytes not).</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>Bytes on the wire: payload plus one address byte per write.</summary>
    public long WireBytes => PayloadBytes + Attempts;

    public void ResetCounters()
    {
        Attempts = 0;
        FailedWrites = 0;
        PayloadBytes = 0;
        Log.Clear();
    }

    public bool Write(byte[] buffer, int offset, int count)
    {
        byte[] bytes = buffer.AsSpan(offset, count).ToArray();
        if (KeepLog)
        {
            Log.Add(bytes);
        }

        WriteFault fault = Faults(Attempts);
        Attempts++;
        PayloadBytes += count;
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
                Receive(bytes, bytes.Length / 2, partial: true);
                return false;
            default:
                Receive(bytes, bytes.Length, partial: false);
                return true;
        }
    }

    private void Receive(byte[] bytes, int count, bool partial)
    {
        int i = 0;
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
                    if (_pending.Count > 0)
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

        if (_pending.Count > 0)
        {
            // Assumption: a new START resets the command parser, so a cut-off command is lost.
            byte opcode = _pending[0];
            _pending.Clear();
            if (!partial)
            {
                throw new InvalidDataException($"write ended inside command {opcode:X2}");
            }
        }
    }

    private void CommandByte(byte b)
    {
        if (_pending.Count == 0)
        {
            _pendingLength = CommandLength(b);
        }

        _pending.Add(b);
        if (_pending.Count == _pendingLength)
        {
            byte[] command = _pending.ToArray();
            _pending.Clear();
            Execute(command);
        }
    }

    /// <summary>Total bytes of the command starting with <paramref name="opcode"/>; throws for unknown opcodes.</summary>
    protected abstract int CommandLength(byte opcode);

    protected abstract void Execute(byte[] command);

    protected abstract void Data(byte b);

    /// <summary>The visible 128x64 image in framebuffer layout.</summary>
    public abstract byte[] VisibleRam();
}
