using Terminal.Drivers.Ports;

namespace Terminal.Tests.Scanner;

/// <summary>
/// The module side of a GM65-family scanner, written from the manual (section 8) independently of the
/// driver: it parses <c>7E 00</c> command frames, checks their CRC-CCITT (or the <c>AB CD</c> bypass), stays
/// silent on a bad CRC, answers reads and writes, saves to "flash", and on a trigger in command mode sends
/// the ACK and then the presented code with the tail zone 0x0060 selects (CR, CRLF, TAB or none).
/// Faults to inject: total silence, lost commands, writes never acknowledged or refused.
/// </summary>
public sealed class SimulatedGm65
{
    private readonly ISerialPort _port;
    private readonly List<byte> _input = new();
    private readonly byte[] _chunk = new byte[256];

    public SimulatedGm65(ISerialPort port)
    {
        _port = port;
        Zones[0x0000] = 0xC4; // LED on, buzzer on, illumination normal, manual mode
        Zones[0x003F] = 0x01; // QR on
        Zones[0x0060] = 0x00; // no tail
        Flash = (byte[])Zones.Clone();
    }

    public byte[] Zones { get; private set; } = new byte[0x200];

    public byte[] Flash { get; private set; }

    /// <summary>Answers nothing at all (module missing or at another baud rate).</summary>
    public bool Silent { get; set; }

    /// <summary>Good command frames to lose without a reply (a noisy line).</summary>
    public int DropNextCommands { get; set; }

    /// <summary>Zones whose writes are never acknowledged.</summary>
    public HashSet<int> IgnoreWritesTo { get; } = new();

    /// <summary>Zones whose writes are answered with this status byte and not applied.</summary>
    public Dictionary<int, byte> RefuseWritesTo { get; } = new();

    /// <summary>The code in front of the scanner (null: nothing to read).</summary>
    public byte[]? Presented { get; private set; }

    public int SaveCount { get; private set; }

    public int BadCrcFrames { get; private set; }

    public int WritesApplied { get; private set; }

    public int Triggers { get; private set; }

    /// <summary>Every good command frame, in order.</summary>
    public List<byte[]> Commands { get; } = new();

    public int Mode => Zones[0x0000] & 0x03;

    /// <summary>Puts a code in front of the scanner; in continuous mode it is read (sent) at once.</summary>
    public void Present(string code) => Present(code.Select(c => (byte)c).ToArray());

    public void Present(byte[] code)
    {
        Presented = code;
        if (Mode == 0x02)
        {
            EmitCode();
        }
    }

    /// <summary>Continuous mode: the same code is read again.</summary>
    public void ScanAgain() => EmitCode();

    /// <summary>Power off and on: RAM zones come back from flash.</summary>
    public void PowerCycle() => Zones = (byte[])Flash.Clone();

    /// <summary>Reads what arrived (waiting at most <paramref name="timeoutMs"/>) and answers complete frames.</summary>
    public void Pump(int timeoutMs = 0)
    {
        int n;
        while ((n = _port.Read(_chunk, 0, _chunk.Length, timeoutMs)) > 0)
        {
            _input.AddRange(_chunk.Take(n));
            timeoutMs = 0;
        }

        ProcessInput();
    }

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

    // Written from the CRC-16/XMODEM definition, not shared with the driver.
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

    private void Handle(byte[] frame)
    {
        byte type = frame[2];
        int lens = frame[3];
        int address = (frame[4] << 8) | frame[5];
        switch (type)
        {
            case 0x07:
                int count = frame[6] == 0 ? 256 : frame[6];
                Reply(0x00, Zones.Skip(address).Take(count).ToArray());
                break;

            case 0x08:
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
                        EmitCode();
                    }
                }

                break;

            case 0x09:
                Flash = (byte[])Zones.Clone();
                SaveCount++;
                Reply(0x00, new byte[] { 0x00 });
                break;
        }
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

    private void EmitCode()
    {
        if (Presented == null)
        {
            return;
        }

        int output = Zones[0x0060];
        var bytes = new List<byte>();
        if ((output & 0x80) != 0)
        {
            bytes.AddRange(new byte[] { 0x03, 0x00, (byte)Presented.Length });
        }

        bytes.AddRange(Presented);
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

    private void Send(byte[] bytes) => _port.Write(bytes, 0, bytes.Length);
}
