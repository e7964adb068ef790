using Terminal.SimulatedDevices.Wire;

namespace Terminal.SimulatedDevices.Scanner;

/// <summary>
/// The module side of a GM65-family scanner, written from the manual (section 8) independently of the driver: it
/// parses <c>7E 00</c> command frames, checks their CRC-CCITT (or the <c>AB CD</c> bypass), stays silent on a bad
/// CRC, answers zone reads and writes, saves to "flash", and reads the code in front of it when it scans: at once
/// in continuous mode, during the scan window a trigger opens in command mode. A read code is sent as zone 0x0060
/// says: wrapped in <c>03 00 len</c> when bit 7 is set, then the tail bits 6-5 select (CR, CRLF, TAB, none) when
/// bit 0 is set. A well-formed frame of an unknown type gets no answer and counts as a protocol error.
/// <para>
/// Codes in front: <see cref="Present(string)"/> shows one until it is read once (a customer takes the phone away
/// at the beep); <see cref="Hold(string)"/> keeps it there, read again at every scan. Faults to inject: total
/// silence, lost commands, writes never acknowledged or refused. Driven by <see cref="Pump"/> (tests) or by its own
/// thread (<see cref="StartThread"/>, the simulator); thread-safe either way.
/// </para>
/// </summary>
public sealed class Gm65Model : IDisposable
{
    /// <summary>How long one trigger keeps the module scanning (its single-read time, about 5 s).</summary>
    public const int ScanWindowMs = 5000;

    private readonly ReadBytes _read;
    private readonly WriteBytes _write;
    private readonly Func<long> _clock;
    private readonly object _gate = new();
    private readonly List<byte> _input = new();
    private readonly byte[] _chunk = new byte[256];
    private bool _held;
    private long _bytesHandled;
    private long _scanUntil;
    private Thread? _thread;
    private volatile bool _stop;

    /// <param name="read">The module's end of the line: what the terminal sent.</param>
    /// <param name="write">The module's end of the line: towards the terminal.</param>
    /// <param name="clock">Monotonic milliseconds for the scan window; the PC's tick count when null.</param>
    public Gm65Model(ReadBytes read, WriteBytes write, Func<long>? clock = null)
    {
        _read = read;
        _write = write;
        _clock = clock ?? (() => Environment.TickCount64);
        Zones[0x0000] = 0xC4; // LED on, buzzer on, illumination normal, manual mode
        Zones[0x003F] = 0x01; // QR on
        Zones[0x0060] = 0x00; // no tail
        Flash = (byte[])Zones.Clone();
    }

    public byte[] Zones { get; private set; } = new byte[0x200];

    public byte[] Flash { get; private set; }

    /// <summary>Answers nothing at all (module missing or at another baud rate); codes are still sent.</summary>
    public bool Silent { get; set; }

    /// <summary>Good command frames to lose without a reply (a noisy line).</summary>
    public int DropNextCommands { get; set; }

    /// <summary>Zones whose writes are never acknowledged.</summary>
    public HashSet<int> IgnoreWritesTo { get; } = new();

    /// <summary>Zones whose writes are answered with this status byte and not applied.</summary>
    public Dictionary<int, byte> RefuseWritesTo { get; } = new();

    /// <summary>The code in front of the scanner (null: nothing to read).</summary>
    public byte[]? Presented { get; private set; }

    /// <summary>True while a code shown with <see cref="Present(string)"/> has not been read yet.</summary>
    public bool HasPendingCode
    {
        get
        {
            lock (_gate)
            {
                return Presented != null && !_held;
            }
        }
    }

    public int SaveCount { get; private set; }

    /// <summary>Bytes from the terminal read and answered so far: a test waits for it to reach what was sent.</summary>
    public long BytesHandled
    {
        get
        {
            lock (_gate)
            {
                return _bytesHandled;
            }
        }
    }

    public int BadCrcFrames { get; private set; }

    public int WritesApplied { get; private set; }

    public int Triggers { get; private set; }

    /// <summary>Well-formed frames the module does not know (no reply); <see cref="LastProtocolError"/> says the latest.</summary>
    public int ProtocolErrors { get; private set; }

    public string? LastProtocolError { get; private set; }

    /// <summary>Told of each frame the module does not know as it arrives (the simulator logs it: a driver bug).</summary>
    public Action<string>? ProtocolErrorSeen { get; set; }

    /// <summary>Every good command frame, in order.</summary>
    public List<byte[]> Commands { get; } = new();

    public int Mode => Zones[0x0000] & 0x03;

    /// <summary>True while a trigger's scan window is open (command mode) or always (continuous mode).</summary>
    public bool Scanning
    {
        get
        {
            lock (_gate)
            {
                return IsScanning();
            }
        }
    }

    /// <summary>Shows a code until it is read once; read at once when the module is scanning.</summary>
    public void Present(string code) => Show(System.Text.Encoding.UTF8.GetBytes(code), held: false);

    /// <summary>Puts a code in front of the scanner to stay: every scan reads it again.</summary>
    public void Hold(string code) => Show(System.Text.Encoding.UTF8.GetBytes(code), held: true);

    public void Hold(byte[] code) => Show(code, held: true);

    /// <summary>Takes the code away.</summary>
    public void Remove()
    {
        lock (_gate)
        {
            Presented = null;
        }
    }

    /// <summary>Continuous mode: the code in front is read again.</summary>
    public void ScanAgain()
    {
        lock (_gate)
        {
            EmitCode();
        }
    }

    /// <summary>Power off and on: RAM zones come back from flash.</summary>
    public void PowerCycle()
    {
        lock (_gate)
        {
            Zones = (byte[])Flash.Clone();
        }
    }

    /// <summary>Reads what arrived (waiting at most <paramref name="timeoutMs"/>) and answers complete frames.</summary>
    public void Pump(int timeoutMs = 0)
    {
        int n;
        int read = 0;
        while ((n = _read(_chunk, 0, _chunk.Length, timeoutMs)) > 0)
        {
            lock (_gate)
            {
                for (int i = 0; i < n; i++)
                {
                    _input.Add(_chunk[i]);
                }
            }

            read += n;
            timeoutMs = 0;
        }

        lock (_gate)
        {
            ProcessInput();
            _bytesHandled += read;
        }
    }

    /// <summary>Runs <see cref="Pump"/> on a background thread until <see cref="Dispose"/>.</summary>
    public void StartThread()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Pump(50);
            }
        }) { IsBackground = true, Name = "GM65 model" };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
    }

    /// <summary>CRC-16/XMODEM (the GM65's CRC-CCITT), written from its definition, not shared with the driver.</summary>
    public static int Crc16Xmodem(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool top = (crc & 0x8000) != 0;
                bool input = ((b >> bit) & 1) != 0;
                crc = (crc << 1) & 0xFFFF;
                if (top ^ input)
                {
                    crc ^= 0x1021;
                }
            }
        }

        return crc;
    }

    private void Show(byte[] code, bool held)
    {
        lock (_gate)
        {
            Presented = code;
            _held = held;
            if (IsScanning())
            {
                EmitCode();
            }
        }
    }

    // Under _gate.
    private bool IsScanning() => Mode == 0x02 || (Mode == 0x01 && _clock() < _scanUntil);

    // Under _gate.
    private void ProcessInput()
    {
        while (true)
        {
            int start = FindHead();
            if (start < 0)
            {
                _input.Clear();
                return;
            }

            _input.RemoveRange(0, start);
            if (_input.Count < 6)
            {
                return;
            }

            int lens = _input[3];
            int total = 8 + lens;
            if (_input.Count < total)
            {
                return;
            }

            byte[] frame = _input.Take(total).ToArray();
            _input.RemoveRange(0, total);
            if (!CrcOk(frame))
            {
                BadCrcFrames++;
                continue; // the manual: bad CRC or format gets no reply
            }

            if (Silent)
            {
                continue;
            }

            Commands.Add(frame);
            if (DropNextCommands > 0)
            {
                DropNextCommands--;
                continue;
            }

            Handle(frame);
        }
    }

    private int FindHead()
    {
        for (int i = 0; i + 1 < _input.Count; i++)
        {
            if (_input[i] == 0x7E && _input[i + 1] == 0x00)
            {
                return i;
            }
        }

        return _input.Count > 0 && _input[^1] == 0x7E ? _input.Count - 1 : -1;
    }

    private static bool CrcOk(byte[] frame)
    {
        int lens = frame[3];
        int crcHigh = frame[6 + lens];
        int crcLow = frame[7 + lens];
        if (crcHigh == 0xAB && crcLow == 0xCD)
        {
            return true;
        }

        return ((crcHigh << 8) | crcLow) == Crc16Xmodem(frame.AsSpan(2, 4 + lens));
    }

    private void Handle(byte[] frame)
    {
        byte type = frame[2];
        int lens = frame[3];
        int address = (frame[4] << 8) | frame[5];
        switch (type)
        {
            case 0x07:
                int count = frame[6] == 0 ? 256 : frame[6];
                if (address + count > Zones.Length)
                {
                    Refuse($"read of {count} zones at {address:X4} beyond the zone table");
                    return;
                }

                Reply(0x00, Zones.Skip(address).Take(count).ToArray());
                break;

            case 0x08:
                if (address + lens > Zones.Length)
                {
                    Refuse($"write of {lens} zones at {address:X4} beyond the zone table");
                    return;
                }

                if (IgnoreWritesTo.Contains(address))
                {
                    return;
                }

                if (RefuseWritesTo.TryGetValue(address, out byte status))
                {
                    Reply(status, new byte[] { 0x00 });
                    return;
                }

                for (int i = 0; i < lens; i++)
                {
                    Zones[address + i] = frame[6 + i];
                }

                WritesApplied++;
                Reply(0x00, new byte[] { 0x00 });
                if (address == 0x0002 && (Zones[0x0002] & 0x01) != 0)
                {
                    Zones[0x0002] &= 0xFE; // the trigger bit clears itself
                    Triggers++;
                    if (Mode == 0x01)
                    {
                        _scanUntil = _clock() + ScanWindowMs;
                        EmitCode();
                    }
                }

                break;

            case 0x09:
                Flash = (byte[])Zones.Clone();
                SaveCount++;
                Reply(0x00, new byte[] { 0x00 });
                break;

            default:
                Refuse($"unknown command type {type:X2}");
                break;
        }
    }

    private void Refuse(string problem)
    {
        ProtocolErrors++;
        LastProtocolError = problem;
        ProtocolErrorSeen?.Invoke(problem);
    }

    private void Reply(byte status, byte[] data)
    {
        var body = new List<byte> { status, (byte)data.Length };
        body.AddRange(data);
        int crc = Crc16Xmodem(body.ToArray());
        var reply = new List<byte> { 0x02, 0x00 };
        reply.AddRange(body);
        reply.Add((byte)(crc >> 8));
        reply.Add((byte)crc);
        Send(reply.ToArray());
    }

    // Under _gate: the code in front, as zone 0x0060 formats it; a command-mode scan ends with the read, and a code
    // shown once is gone.
    private void EmitCode()
    {
        if (Presented == null)
        {
            return;
        }

        byte[] code = Presented;
        if (!_held)
        {
            Presented = null;
        }

        if (Mode == 0x01)
        {
            _scanUntil = 0;
        }

        int output = Zones[0x0060];
        var bytes = new List<byte>();
        if ((output & 0x80) != 0)
        {
            bytes.AddRange(new byte[] { 0x03, 0x00, (byte)code.Length });
        }

        bytes.AddRange(code);
        if ((output & 0x01) != 0)
        {
            switch ((output >> 5) & 0x03)
            {
                case 0: bytes.Add(0x0D); break;
                case 1: bytes.Add(0x0D); bytes.Add(0x0A); break;
                case 2: bytes.Add(0x09); break;
            }
        }

        Send(bytes.ToArray());
    }

    private void Send(byte[] bytes) => _write(bytes, 0, bytes.Length);
}
