using System.Globalization;
using System.Text;
using Terminal.SimulatedDevices.Wire;

namespace Terminal.SimulatedDevices.Mdb;

/// <summary>
/// A Qibixx MDB Pi HAT (or MDB-USB) in cashless-peripheral mode, written from Qibixx's public command reference
/// and session examples and from the MDB/ICP 4.x cashless device section 7, independently of the driver
/// (docs/vending.md section 5 lists the sources and the lines taken from public client code).
/// <para>
/// Host side: ASCII lines at 115200 8N1 from the terminal (<c>C,0</c>, <c>C,1</c>, <c>C,SETCONF,k=v</c>,
/// <c>C,START,funds</c>, <c>C,VEND,amount</c>, <c>C,STOP</c>) and back (<c>c,SET,OK</c>, <c>c,STATUS,...</c>,
/// <c>c,VEND,SUCCESS</c>, <c>c,ERR,...</c>). Settings are taken only while the device is off. Unknown commands,
/// settings or out-of-place requests are answered <c>c,ERR,...</c> and counted as protocol errors.
/// </para>
/// <para>
/// MDB side: the cashless device at address 10H or 60H (level 1). <see cref="Transfer"/> takes one block from
/// the VMC as 9-bit words (the address word with the mode bit, the checksum last) and returns the answer: ACK
/// (00H with the mode bit), a data block whose checksum carries the mode bit, or nothing (device off, another
/// address, a bad checksum). A data answer the VMC has not acknowledged is sent again at the next POLL.
/// </para>
/// Driven by <see cref="Pump"/> (tests) or its own thread (<see cref="StartThread"/>); thread-safe.
/// </summary>
public sealed class QibixxBridgeModel : IDisposable
{
    public const int ModeBit = 0x100;

    private const int Ack = 0x00;

    private readonly ReadBytes _read;
    private readonly WriteBytes _write;
    private readonly object _gate = new();
    private readonly StringBuilder _line = new();
    private readonly byte[] _chunk = new byte[256];
    private readonly Queue<int[]> _pollReplies = new();
    private int[]? _unacked;
    private bool _justReset;
    private int _requestPrice;
    private int _requestItem;
    private bool _requestAnswered;
    private Thread? _thread;
    private volatile bool _stop;

    public QibixxBridgeModel(ReadBytes read, WriteBytes write)
    {
        _read = read;
        _write = write;
    }

    /// <summary>C,1 / C,0.</summary>
    public bool On { get; private set; }

    public CashlessState State { get; private set; } = CashlessState.Inactive;

    public int Address { get; private set; } = 0x10;

    /// <summary>MDB country/currency code, e.g. 0x1840.</summary>
    public int CurrencyCode { get; private set; } = 0x1978;

    public int ScaleFactor { get; private set; } = 1;

    public int DecimalPlaces { get; private set; } = 2;

    public bool AlwaysIdle { get; private set; }

    /// <summary>Application maximum response time announced in the reader configuration data, seconds.</summary>
    public int ResponseTimeS { get; private set; } = 5;

    /// <summary>Bytes from the terminal and to it on the host line.</summary>
    public long HostBytesIn { get; private set; }

    public long HostBytesOut { get; private set; }

    /// <summary>9-bit words from the VMC and to it on the MDB bus.</summary>
    public long MdbWordsIn { get; private set; }

    public long MdbWordsOut { get; private set; }

    public List<string> HostLinesIn { get; } = new();

    public List<string> HostLinesOut { get; } = new();

    public int ProtocolErrors { get; private set; }

    public string? LastProtocolError { get; private set; }

    /// <summary>Told of each command the bridge refuses as it arrives (the simulator logs it: a driver bug).</summary>
    public Action<string>? ProtocolErrorSeen { get; set; }

    /// <summary>Requests refused because the machine had moved on (a cancel crossed an approval): races, not errors.</summary>
    public int LateRequests { get; private set; }

    /// <summary>VMC blocks with a bad checksum (silently dropped, as MDB requires).</summary>
    public int BadChecksums { get; private set; }

    /// <summary>Runs the host side on a thread (the simulator).</summary>
    public void StartThread()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                if (!PumpOnce(20))
                {
                    continue;
                }
            }
        }) { IsBackground = true, Name = "MDB bridge model" };
        _thread.Start();
    }

    /// <summary>Reads and carries out what the terminal sent so far.</summary>
    public void Pump()
    {
        while (PumpOnce(0))
        {
        }
    }

    /// <summary>The VMC sends one block; returns the device's answer, or null when it stays silent.</summary>
    public int[]? Transfer(int[] block)
    {
        lock (_gate)
        {
            MdbWordsIn += block.Length;
            if (!On || block.Length < 2 || (block[0] & ModeBit) == 0 || (block[0] & 0xF8) != Address)
            {
                return null;
            }

            int sum = 0;
            for (int i = 0; i < block.Length - 1; i++)
            {
                sum += block[i] & 0xFF;
            }

            if ((sum & 0xFF) != (block[^1] & 0xFF))
            {
                BadChecksums++;
                return null;
            }

            int[] data = new int[block.Length - 1];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = block[i] & 0xFF;
            }

            int[] answer = Command(data[0] & 0x07, data);
            MdbWordsOut += answer.Length;
            return answer;
        }
    }

    /// <summary>The VMC acknowledged the last data answer.</summary>
    public void VmcAck()
    {
        lock (_gate)
        {
            MdbWordsIn++;
            _unacked = null;
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
    }

    // ---- host side ----

    private bool PumpOnce(int timeoutMs)
    {
        int n = _read(_chunk, 0, _chunk.Length, timeoutMs);
        if (n <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            HostBytesIn += n;
            for (int i = 0; i < n; i++)
            {
                char c = (char)_chunk[i];
                if (c == '\n')
                {
                    string line = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                    if (line.Length > 0)
                    {
                        HostLinesIn.Add(line);
                        HostCommand(line);
                    }
                }
                else
                {
                    _line.Append(c);
                }
            }
        }

        return true;
    }

    private void HostCommand(string line)
    {
        string[] parts = line.Split(',');
        if (parts[0] != "C" || parts.Length < 2)
        {
            Refuse(line, "\"unknown command\"");
            return;
        }

        switch (parts[1])
        {
            case "0" when parts.Length == 2:
                On = false;
                EnterState(CashlessState.Inactive, false);
                _pollReplies.Clear();
                _unacked = null;
                Send("c,STATUS,OFFLINE");
                return;
            case "1" when parts.Length == 2:
                // The cashless device starts afresh: MDB/ICP 4.x section 7.4.1, a reader reports JUST RESET at the
                // first POLL after any reset, so a machine that kept a session open across the terminal's restart
                // sets the reader up again instead of asking a device that no longer knows the session.
                On = true;
                _justReset = true;
                EnterState(CashlessState.Inactive, true);
                return;
            case "SETCONF" when parts.Length == 3:
                Setting(line, parts[2]);
                return;
            case "START" when parts.Length == 3:
                if (!TryAmount(parts[2], out int funds))
                {
                    Refuse(line, "\"bad amount\"");
                    return;
                }

                if (State != CashlessState.Enabled)
                {
                    Late("\"START -1\"");
                    return;
                }

                _pollReplies.Enqueue([0x03, funds >> 8, funds & 0xFF]);
                return;
            case "VEND" when parts.Length == 3:
                if (!TryAmount(parts[2], out int amount))
                {
                    Refuse(line, "\"bad amount\"");
                    return;
                }

                if (State != CashlessState.Vend || _requestAnswered || amount > _requestPrice)
                {
                    // The machine cancelled (or timed out) first, or the amount is not what it asked for.
                    if (amount > _requestPrice && State == CashlessState.Vend)
                    {
                        Refuse(line, "\"VEND -2\"");
                        return;
                    }

                    Late("\"VEND -1\"");
                    return;
                }

                _requestAnswered = true;
                _pollReplies.Enqueue([0x05, amount >> 8, amount & 0xFF]);
                return;
            case "STOP" when parts.Length == 2:
                if (State == CashlessState.Vend && !_requestAnswered)
                {
                    _requestAnswered = true;
                    _pollReplies.Enqueue([0x06]);
                }
                else if (State == CashlessState.SessionIdle)
                {
                    _pollReplies.Enqueue([0x04]);
                }

                return;
            default:
                Refuse(line, "\"unknown command\"");
                return;
        }
    }

    private void Setting(string line, string assignment)
    {
        int eq = assignment.IndexOf('=');
        if (On || eq < 1)
        {
            Refuse(line, On ? "\"cashless must be off\"" : "\"bad setting\"");
            return;
        }

        string key = assignment[..eq];
        string text = assignment[(eq + 1)..];
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!int.TryParse(hex ? text[2..] : text, hex ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            Refuse(line, "\"bad value\"");
            return;
        }

        switch (key)
        {
            case "mdb-address" when value is 0x10 or 0x60:
                Address = value;
                break;
            case "mdb-currency-code" when value is >= 0x1000 and <= 0x1999:
                CurrencyCode = value;
                break;
            case "mdb-scale-factor" when value is >= 1 and <= 255:
                ScaleFactor = value;
                break;
            case "mdb-decimal-places" when value is >= 0 and <= 3:
                DecimalPlaces = value;
                break;
            case "mdb-always-idle" when value is 0 or 1:
                AlwaysIdle = value == 1;
                break;
            case "mdb-timeout" when value is >= 1 and <= 255:
                ResponseTimeS = value;
                break;
            default:
                Refuse(line, "\"bad setting\"");
                return;
        }

        Send("c,SET,OK");
    }

    /// <summary>A decimal amount on the host line in MDB units (value / scale factor, at the decimal places).</summary>
    private bool TryAmount(string text, out int units)
    {
        units = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        decimal scaled = value * Pow10(DecimalPlaces) / ScaleFactor;
        if (scaled != decimal.Truncate(scaled) || scaled < 0 || scaled > 0xFFFF)
        {
            return false;
        }

        units = (int)scaled;
        return true;
    }

    private string AmountText(int units) =>
        (units * ScaleFactor / Pow10(DecimalPlaces)).ToString("F" + DecimalPlaces, CultureInfo.InvariantCulture);

    private static decimal Pow10(int n)
    {
        decimal p = 1;
        for (int i = 0; i < n; i++)
        {
            p *= 10;
        }

        return p;
    }

    /// <summary>A request the bus overtook (the machine cancelled first): refused, not a driver error.</summary>
    private void Late(string error)
    {
        LateRequests++;
        Send("c,ERR," + error);
    }

    private void Refuse(string line, string error)
    {
        ProtocolErrors++;
        LastProtocolError = line + " -> " + error;
        ProtocolErrorSeen?.Invoke(LastProtocolError);
        Send("c,ERR," + error);
    }

    private void Send(string line)
    {
        HostLinesOut.Add(line);
        byte[] bytes = Encoding.ASCII.GetBytes(line + "\n");
        HostBytesOut += bytes.Length;
        _write(bytes, 0, bytes.Length);
    }

    private void EnterState(CashlessState state, bool announce)
    {
        State = state;
        if (!announce || !On)
        {
            return;
        }

        switch (state)
        {
            case CashlessState.Inactive:
                Send("c,STATUS,INACTIVE");
                break;
            case CashlessState.Disabled:
                Send("c,STATUS,DISABLED");
                break;
            case CashlessState.Enabled:
                Send("c,STATUS,ENABLED");
                break;
            case CashlessState.SessionIdle:
                Send("c,STATUS,IDLE");
                break;
            case CashlessState.Vend:
                Send("c,STATUS,VEND," + AmountText(_requestPrice) + "," + _requestItem.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    // ---- MDB side (MDB/ICP 4.x section 7.4) ----

    private int[] Command(int command, int[] data)
    {
        switch (command)
        {
            case 0: // RESET
                _pollReplies.Clear();
                _unacked = null;
                _justReset = true;
                EnterState(CashlessState.Inactive, State != CashlessState.Inactive);
                return AckWord();
            case 1 when data.Length == 6 && data[1] == 0x00: // SETUP config data: VMC level, columns, rows, display
                EnterState(CashlessState.Disabled, true);
                return Reply([0x01, 0x01, CurrencyCode >> 8, CurrencyCode & 0xFF, ScaleFactor, DecimalPlaces, ResponseTimeS, 0x00]);
            case 1 when data.Length == 6 && data[1] == 0x01: // SETUP max/min prices
                return AckWord();
            case 2 when data.Length == 1: // POLL
                return Poll();
            case 3 when data.Length == 6 && data[1] == 0x00: // VEND REQUEST price, item
                bool ready = State == CashlessState.SessionIdle || (AlwaysIdle && State == CashlessState.Enabled);
                if (!ready)
                {
                    return Reply([0x0B]);
                }

                _requestPrice = (data[2] << 8) | data[3];
                _requestItem = (data[4] << 8) | data[5];
                _requestAnswered = false;
                EnterState(CashlessState.Vend, true);
                return AckWord();
            case 3 when data.Length == 2 && data[1] == 0x01: // VEND CANCEL: answered VEND DENIED
                if (State != CashlessState.Vend)
                {
                    return Reply([0x0B]);
                }

                DropQueued(0x05);
                DropQueued(0x06);
                _requestAnswered = true;
                Send("c,ERR,VEND 1");
                EnterState(CashlessState.SessionIdle, true);
                return Reply([0x06]);
            case 3 when data.Length == 4 && data[1] == 0x02: // VEND SUCCESS item
                Send("c,VEND,SUCCESS");
                EnterState(CashlessState.SessionIdle, true);
                return AckWord();
            case 3 when data.Length == 2 && data[1] == 0x03: // VEND FAILURE
                Send("c,ERR,VEND 3");
                EnterState(CashlessState.SessionIdle, true);
                return AckWord();
            case 3 when data.Length == 2 && data[1] == 0x04: // SESSION COMPLETE: END SESSION at the next POLL
                _pollReplies.Enqueue([0x07]);
                return AckWord();
            case 4 when data.Length == 2 && data[1] == 0x00: // READER DISABLE
                EnterState(CashlessState.Disabled, true);
                return AckWord();
            case 4 when data.Length == 2 && data[1] == 0x01: // READER ENABLE
                EnterState(CashlessState.Enabled, true);
                return AckWord();
            default:
                return Reply([0x0B]); // COMMAND OUT OF SEQUENCE
        }
    }

    private int[] Poll()
    {
        if (_unacked != null)
        {
            return _unacked;
        }

        if (_justReset)
        {
            _justReset = false;
            return Reply([0x00]);
        }

        if (_pollReplies.Count == 0)
        {
            return AckWord();
        }

        int[] reply = _pollReplies.Dequeue();
        switch (reply[0])
        {
            case 0x03:
                EnterState(CashlessState.SessionIdle, true);
                break;
            case 0x06:
                EnterState(CashlessState.SessionIdle, false);
                break;
            case 0x07:
                EnterState(CashlessState.Enabled, true);
                break;
        }

        return Reply(reply);
    }

    private void DropQueued(int code)
    {
        int n = _pollReplies.Count;
        for (int i = 0; i < n; i++)
        {
            int[] r = _pollReplies.Dequeue();
            if (r[0] != code)
            {
                _pollReplies.Enqueue(r);
            }
        }
    }

    private static int[] AckWord() => [Ack | ModeBit];

    /// <summary>A data answer: the bytes, then their checksum with the mode bit; kept until the VMC acknowledges it.</summary>
    private int[] Reply(int[] bytes)
    {
        int[] block = new int[bytes.Length + 1];
        int sum = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            block[i] = bytes[i] & 0xFF;
            sum += block[i];
        }

        block[^1] = (sum & 0xFF) | ModeBit;
        _unacked = block;
        return block;
    }
}
