using Terminal.Drivers.Ports;
using Terminal.Drivers.Scanner;

namespace Terminal.Simulator.Hardware;

/// <summary>
/// The module side of a Grow GM65 scanner on the other end of a <see cref="SerialPipe"/>, so that typed codes
/// reach the firmware as the bytes a real module sends and go through the real driver and code framer. It answers
/// zone reads, writes and saves (GM65 manual section 8: <c>7E 00</c> frames, CRC-CCITT or the <c>AB CD</c>
/// bypass, silence on a bad frame), and reads a presented code when it scans: at once in continuous mode, or
/// during the scan window a trigger opens in command mode. A code ends with the tail zone 0x0060 selects.
/// </summary>
public sealed class VirtualGm65 : IDisposable
{
    /// <summary>How long one trigger keeps the module scanning (the GM65's single-read time, about 5 s).</summary>
    public const int ScanWindowMs = 5000;

    // The write/save acknowledgement, GM65 manual section 8: status 00, one data byte 00, CRC 33 31.
    private static readonly byte[] Ack = { 0x02, 0x00, 0x00, 0x01, 0x00, 0x33, 0x31 };

    private readonly ISerialPort _port;
    private readonly byte[] _zones = new byte[0x100];
    private readonly List<byte> _input = new();
    private readonly object _gate = new();
    private readonly Thread _thread;
    private volatile bool _stop;
    private byte[]? _presented;
    private long _scanUntil;

    public VirtualGm65(ISerialPort port)
    {
        _port = port;
        _zones[Gm65Zones.Settings] = 0xC4;  // LED and buzzer on, manual (button) mode: the factory state
        _zones[Gm65Zones.QrCode] = 0x01;    // QR on
        _zones[Gm65Zones.Output] = 0x60;    // no tail
        _thread = new Thread(Serve) { IsBackground = true, Name = "virtual GM65" };
        _thread.Start();
    }

    /// <summary>False: the module answers nothing and reads nothing (unplugged).</summary>
    public bool Powered { get; set; } = true;

    /// <summary>Trigger commands received.</summary>
    public int Triggers { get; private set; }

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

    /// <summary>Holds a code in front of the module; it is read as soon as the module scans.</summary>
    public void Present(string code)
    {
        lock (_gate)
        {
            _presented = System.Text.Encoding.UTF8.GetBytes(code);
            if (IsScanning())
            {
                Emit();
            }
        }
    }

    /// <summary>True while a presented code has not been read yet.</summary>
    public bool HasPendingCode
    {
        get
        {
            lock (_gate)
            {
                return _presented != null;
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(1000);
    }

    private bool IsScanning()
    {
        int mode = _zones[Gm65Zones.Settings] & Gm65Zones.ModeMask;
        return mode == Gm65Zones.ModeContinuous || (mode == Gm65Zones.ModeCommand && Environment.TickCount64 < _scanUntil);
    }

    private void Serve()
    {
        byte[] chunk = new byte[64];
        while (!_stop)
        {
            int n = _port.Read(chunk, 0, chunk.Length, 50);
            if (!Powered)
            {
                continue;
            }

            lock (_gate)
            {
                for (int i = 0; i < n; i++)
                {
                    _input.Add(chunk[i]);
                }

                ProcessFrames();
            }
        }
    }

    // Under _gate.
    private void ProcessFrames()
    {
        while (true)
        {
            int head = _input.FindIndex(b => b == Gm65Protocol.CommandHead0);
            if (head < 0)
            {
                _input.Clear();
                return;
            }

            _input.RemoveRange(0, head);
            if (_input.Count < 2)
            {
                return;
            }

            if (_input[1] != Gm65Protocol.CommandHead1)
            {
                _input.RemoveAt(0);
                continue;
            }

            if (_input.Count < 6)
            {
                return;
            }

            int total = Gm65Protocol.CommandOverhead + _input[3];
            if (_input.Count < total)
            {
                return;
            }

            byte[] frame = _input.GetRange(0, total).ToArray();
            _input.RemoveRange(0, total);
            if (CrcOk(frame))
            {
                Handle(frame);
            }
        }
    }

    private static bool CrcOk(byte[] frame)
    {
        int lens = frame[3];
        int high = frame[6 + lens];
        int low = frame[7 + lens];
        return (high == 0xAB && low == 0xCD) || ((high << 8) | low) == Gm65Crc.Compute(frame, 2, 4 + lens);
    }

    private void Handle(byte[] frame)
    {
        int lens = frame[3];
        int address = (frame[4] << 8) | frame[5];
        switch (frame[2])
        {
            case Gm65Protocol.TypeReadZones:
                int count = frame[6] == 0 ? 256 : frame[6];
                byte[] data = new byte[count];
                for (int i = 0; i < count; i++)
                {
                    data[i] = address + i < _zones.Length ? _zones[address + i] : (byte)0;
                }

                Reply(data);
                break;

            case Gm65Protocol.TypeWriteZones:
                for (int i = 0; i < lens && address + i < _zones.Length; i++)
                {
                    _zones[address + i] = frame[6 + i];
                }

                Send(Ack);
                if (address == Gm65Zones.Trigger && (_zones[Gm65Zones.Trigger] & Gm65Zones.TriggerStart) != 0)
                {
                    _zones[Gm65Zones.Trigger] &= unchecked((byte)~Gm65Zones.TriggerStart); // clears itself
                    Triggers++;
                    _scanUntil = Environment.TickCount64 + ScanWindowMs;
                    if (_presented != null)
                    {
                        Emit();
                    }
                }

                break;

            case Gm65Protocol.TypeSaveZones:
                Send(Ack);
                break;
        }
    }

    private void Reply(byte[] data)
    {
        byte[] reply = new byte[Gm65Protocol.ReplyOverhead + data.Length];
        reply[0] = Gm65Protocol.ReplyHead0;
        reply[1] = Gm65Protocol.ReplyHead1;
        reply[2] = Gm65Protocol.StatusOk;
        reply[3] = (byte)data.Length;
        Array.Copy(data, 0, reply, 4, data.Length);
        int crc = Gm65Crc.Compute(reply, 2, 2 + data.Length);
        reply[4 + data.Length] = (byte)(crc >> 8);
        reply[5 + data.Length] = (byte)crc;
        Send(reply);
    }

    // Under _gate: the read code, with the configured tail; a command-mode scan ends with the read.
    private void Emit()
    {
        byte[] code = _presented!;
        _presented = null;
        if ((_zones[Gm65Zones.Settings] & Gm65Zones.ModeMask) == Gm65Zones.ModeCommand)
        {
            _scanUntil = 0;
        }

        var bytes = new List<byte>(code.Length + 2);
        bytes.AddRange(code);
        int output = _zones[Gm65Zones.Output];
        if ((output & Gm65Zones.TailEnable) != 0)
        {
            switch (output & Gm65Zones.TailMask)
            {
                case Gm65Zones.TailCr:
                    bytes.Add(0x0D);
                    break;
                case Gm65Zones.TailCrLf:
                    bytes.Add(0x0D);
                    bytes.Add(0x0A);
                    break;
                case Gm65Zones.TailTab:
                    bytes.Add(0x09);
                    break;
            }
        }

        Send(bytes.ToArray());
    }

    private void Send(byte[] bytes)
    {
        if (Powered)
        {
            _port.Write(bytes, 0, bytes.Length);
        }
    }
}
