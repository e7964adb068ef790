namespace Terminal.SimulatedDevices.Mdb;

/// <summary>
/// The vending machine controller's side of the MDB bus, at cashless level 1 (MDB/ICP 4.x section 7), driving the
/// bridge model as a real machine drives the terminal: RESET, POLL until JUST RESET, SETUP config data (reading
/// the reader's currency, scale factor, decimal places and maximum response time), SETUP max/min prices, READER
/// ENABLE, then a POLL every <see cref="PollIntervalMs"/>. A customer's selection in an open session sends VEND
/// REQUEST; VEND APPROVED dispenses (VEND SUCCESS, or VEND FAILURE when <see cref="FailNextVend"/>); VEND DENIED, or
/// no answer within the reader's response time (then VEND CANCEL), ends the attempt; every session ends with
/// SESSION COMPLETE and the reader's END SESSION. A device that stops answering is reset again.
/// Driven by <see cref="Step"/> (tests) or its own thread (<see cref="StartThread"/>); thread-safe.
/// </summary>
public sealed class VmcSimulator : IDisposable
{
    private const int ModeBit = QibixxBridgeModel.ModeBit;

    private readonly QibixxBridgeModel _bridge;
    private readonly Func<long> _clock;
    private readonly object _gate = new();
    private readonly Queue<(int Item, int Price)> _selections = new();
    private VmcState _state = VmcState.Resetting;
    private long _nextAt;
    private long _since;
    private int _misses;
    private (int Item, int Price) _current;
    private Thread? _thread;
    private volatile bool _stop;

    /// <param name="clock">Monotonic milliseconds; the PC's tick count when null.</param>
    public VmcSimulator(QibixxBridgeModel bridge, Func<long>? clock = null)
    {
        _bridge = bridge;
        _clock = clock ?? (() => Environment.TickCount64);
    }

    public int PollIntervalMs { get; set; } = 50;

    /// <summary>How long the machine takes to vend an approved item.</summary>
    public int DispenseMs { get; set; } = 500;

    /// <summary>How long the machine waits for VEND APPROVED or DENIED; 0: the reader's announced response time.</summary>
    public int ApprovalTimeoutMs { get; set; }

    /// <summary>The next approved vend fails (the item jams): VEND FAILURE.</summary>
    public bool FailNextVend { get; set; }

    public VmcState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>From the reader's configuration data.</summary>
    public int ReaderCurrencyCode { get; private set; }

    public int ReaderScaleFactor { get; private set; }

    public int ReaderDecimalPlaces { get; private set; }

    public int ReaderResponseTimeS { get; private set; }

    /// <summary>Funds of the open session, MDB units.</summary>
    public int SessionFunds { get; private set; }

    /// <summary>What happened on the bus, with the time: "VEND REQUEST 12 150", "VEND APPROVED 150", ...</summary>
    private List<(long At, string What)> Events { get; } = new();

    /// <summary>Told of each bus event as it happens (the simulator prints them).</summary>
    public Action<string>? EventSeen { get; set; }

    public int Vends { get; private set; }

    public int Denials { get; private set; }

    public int Failures { get; private set; }

    public int Cancels { get; private set; }

    /// <summary>The customer presses an item's button; the machine asks once a session is open.</summary>
    public void Select(int item, int priceUnits)
    {
        lock (_gate)
        {
            _selections.Enqueue((item, priceUnits));
        }
    }

    /// <summary>Waits (real time) until <paramref name="what"/> happened after <paramref name="after"/> events; its time, or -1.</summary>
    public long WaitFor(string what, int after, int timeoutMs)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (Environment.TickCount64 < deadline)
        {
            lock (_gate)
            {
                for (int i = after; i < Events.Count; i++)
                {
                    if (Events[i].What.StartsWith(what, StringComparison.Ordinal))
                    {
                        return Events[i].At;
                    }
                }
            }

            Thread.Sleep(2);
        }

        return -1;
    }

    /// <summary>What happened on the bus after the first <paramref name="after"/> events, with the time.</summary>
    public (long At, string What)[] EventsSince(int after)
    {
        lock (_gate)
        {
            return Events.Skip(after).ToArray();
        }
    }

    public int EventCount
    {
        get
        {
            lock (_gate)
            {
                return Events.Count;
            }
        }
    }

    public void StartThread()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Step();
                Thread.Sleep(2);
            }
        }) { IsBackground = true, Name = "VMC simulator" };
        _thread.Start();
    }

    /// <summary>Does what is due now (at most one bus exchange).</summary>
    public void Step()
    {
        lock (_gate)
        {
            long now = _clock();
            if (now < _nextAt)
            {
                return;
            }

            _nextAt = now + PollIntervalMs;
            switch (_state)
            {
                case VmcState.Resetting:
                    if (Send([0x10]) is { } reset && IsAck(reset))
                    {
                        Enter(VmcState.WaitingJustReset, now);
                    }

                    break;
                case VmcState.WaitingJustReset:
                    if (PollReply() is { } r && r[0] == 0x00)
                    {
                        SetUp(now);
                    }

                    break;
                case VmcState.WaitingApproval:
                    long timeout = ApprovalTimeoutMs > 0 ? ApprovalTimeoutMs : ReaderResponseTimeS * 1000L;
                    if (now - _since > timeout)
                    {
                        Cancels++;
                        Note(now, "VEND CANCEL (no answer in " + timeout + " ms)");
                        int[]? denied = Send([0x13, 0x01]);
                        Note(now, denied != null && denied[0] == 0x06 ? "VEND DENIED (to cancel)" : "VEND CANCEL unanswered");
                        Complete(now);
                        break;
                    }

                    PollAndHandle(now);
                    break;
                case VmcState.Dispensing:
                    if (now - _since >= DispenseMs)
                    {
                        bool fail = FailNextVend;
                        FailNextVend = false;
                        if (fail)
                        {
                            Failures++;
                            Send([0x13, 0x03]);
                            Note(now, "VEND FAILURE " + _current.Item);
                        }
                        else
                        {
                            Vends++;
                            Send([0x13, 0x02, _current.Item >> 8, _current.Item & 0xFF]);
                            Note(now, "VEND SUCCESS " + _current.Item);
                        }

                        Complete(now);
                        break;
                    }

                    PollAndHandle(now);
                    break;
                default:
                    PollAndHandle(now);
                    break;
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(1000);
    }

    private void SetUp(long now)
    {
        int[]? config = Send([0x11, 0x00, 0x01, 0x00, 0x00, 0x00]);
        if (config == null || config.Length < 8 || config[0] != 0x01)
        {
            Enter(VmcState.Resetting, now);
            return;
        }

        ReaderCurrencyCode = (config[2] << 8) | config[3];
        ReaderScaleFactor = config[4];
        ReaderDecimalPlaces = config[5];
        ReaderResponseTimeS = config[6];
        Send([0x11, 0x01, 0xFF, 0xFF, 0x00, 0x00]);
        Send([0x14, 0x01]);
        Note(now, "READER ENABLED");
        Enter(VmcState.Enabled, now);
    }

    private void PollAndHandle(long now)
    {
        int[]? reply = PollReply();
        if (reply != null)
        {
            switch (reply[0])
            {
                case 0x00: // JUST RESET: the reader restarted, set it up again
                    Note(now, "JUST RESET");
                    SetUp(now);
                    return;
                case 0x03 when reply.Length >= 3:
                    SessionFunds = (reply[1] << 8) | reply[2];
                    Note(now, "BEGIN SESSION " + SessionFunds);
                    Enter(VmcState.SessionIdle, now);
                    break;
                case 0x04:
                    Note(now, "SESSION CANCEL REQUEST");
                    Complete(now);
                    return;
                case 0x05 when reply.Length >= 3 && _state == VmcState.WaitingApproval:
                    Note(now, "VEND APPROVED " + ((reply[1] << 8) | reply[2]));
                    Enter(VmcState.Dispensing, now);
                    return;
                case 0x06 when _state == VmcState.WaitingApproval:
                    Denials++;
                    Note(now, "VEND DENIED");
                    Complete(now);
                    return;
                case 0x07:
                    Note(now, "END SESSION");
                    Enter(VmcState.Enabled, now);
                    break;
            }
        }

        if (_state == VmcState.SessionIdle && _selections.Count > 0)
        {
            _current = _selections.Dequeue();
            if (_current.Price > SessionFunds)
            {
                Note(now, "SELECTION " + _current.Item + " above the session's funds");
                return;
            }

            int[]? ack = Send([0x13, 0x00, _current.Price >> 8, _current.Price & 0xFF, _current.Item >> 8, _current.Item & 0xFF]);
            if (ack != null && IsAck(ack))
            {
                Note(now, "VEND REQUEST " + _current.Item + " " + _current.Price);
                Enter(VmcState.WaitingApproval, now);
            }
            else if (ack != null)
            {
                // COMMAND OUT OF SEQUENCE: the reader lost the session; reset it and ask again once it is set up.
                Note(now, "VEND REQUEST refused by the reader: resetting it");
                _selections.Enqueue(_current);
                Enter(VmcState.Resetting, now);
            }
        }
    }

    private void Complete(long now)
    {
        Send([0x13, 0x04]);
        Enter(VmcState.Completing, now);
    }

    private int[]? PollReply()
    {
        int[]? reply = Send([0x12]);
        if (reply == null)
        {
            if (++_misses >= 3 && _state != VmcState.Resetting)
            {
                Note(_clock(), "READER NOT RESPONDING");
                Enter(VmcState.Resetting, _clock());
            }

            return null;
        }

        _misses = 0;
        return IsAck(reply) ? null : reply;
    }

    /// <summary>One block: the address word with the mode bit, the data, the checksum; a data answer is acknowledged.</summary>
    private int[]? Send(int[] bytes)
    {
        int[] block = new int[bytes.Length + 1];
        int sum = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            block[i] = bytes[i] & 0xFF;
            sum += block[i];
        }

        block[0] |= ModeBit;
        block[^1] = sum & 0xFF;
        int[]? answer = _bridge.Transfer(block);
        if (answer == null || IsAck(answer))
        {
            return answer;
        }

        int check = 0;
        for (int i = 0; i < answer.Length - 1; i++)
        {
            check += answer[i] & 0xFF;
        }

        if ((answer[^1] & ModeBit) == 0 || (check & 0xFF) != (answer[^1] & 0xFF))
        {
            return null;
        }

        _bridge.VmcAck();
        int[] data = new int[answer.Length - 1];
        Array.Copy(answer, data, data.Length);
        return data;
    }

    private static bool IsAck(int[] answer) => answer.Length == 1 && answer[0] == (0x00 | ModeBit);

    private void Enter(VmcState state, long now)
    {
        _state = state;
        _since = now;
    }

    private void Note(long at, string what)
    {
        Events.Add((at, what));
        EventSeen?.Invoke(what);
    }
}

/// <summary>Where the simulated machine controller is.</summary>
public enum VmcState
{
    Resetting,
    WaitingJustReset,
    Enabled,
    SessionIdle,
    WaitingApproval,
    Dispensing,
    Completing,
}
