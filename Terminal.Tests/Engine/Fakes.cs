using Terminal.Core.Ports;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Support;

namespace Terminal.Tests.Engine;

/// <summary>Sleeps by advancing the fake clock; runs a hook per sleep (e.g. to abort at some time).</summary>
internal sealed class FakeSleeper : ISleeper
{
    private readonly FakeClock _clock;
    private bool _woken;

    public FakeSleeper(FakeClock clock)
    {
        _clock = clock;
    }

    public Action<long>? OnSleep { get; set; }

    /// <summary>When it returns true the device is "dead": sleeping throws, which ends the engine's flow at once.</summary>
    public Func<bool>? IsDead { get; set; }

    public long TotalSleptMs { get; private set; }

    public List<int> Sleeps { get; } = new();

    /// <summary>False: do not record sleeps (allocation measurements).</summary>
    public bool Record { get; set; } = true;

    public bool Sleep(int milliseconds)
    {
        if (IsDead?.Invoke() == true)
        {
            throw new PowerCutException();
        }

        if (_woken)
        {
            _woken = false;
            return false;
        }

        if (Record)
        {
            Sleeps.Add(milliseconds);
        }

        _clock.Advance(milliseconds);
        TotalSleptMs += milliseconds;
        OnSleep?.Invoke(_clock.Mono);
        if (_woken)
        {
            _woken = false;
            return false;
        }

        return true;
    }

    public void Wake() => _woken = true;
}

/// <summary>Deterministic "entropy" for request ids.</summary>
internal sealed class FakeRandom : IRandom
{
    private readonly Random _random;

    public FakeRandom(int seed = 1)
    {
        _random = new Random(seed);
    }

    public void NextBytes(byte[] buffer, int offset, int count) => _random.NextBytes(buffer.AsSpan(offset, count));
}

/// <summary>Collects log lines (and shows them on failure through the test's output if needed).</summary>
internal sealed class ListLog : ILog
{
    public List<string> Lines { get; } = new();

    public void Write(LogLevel level, string message) => Lines.Add(level + " " + message);

    public bool Contains(string text) => Lines.Exists(l => l.Contains(text, StringComparison.Ordinal));
}

/// <summary>Records every engine event in order.</summary>
internal sealed class RecordingEvents : IPaymentEvents
{
    public List<string> Events { get; } = new();

    public List<PaymentResult> Results { get; } = new();

    public string? ShownCode { get; private set; }

    public int ShownExpiresInMs { get; private set; }

    public Action<string>? OnEvent { get; set; }

    public void OnProcessing() => Add("processing");

    public void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
    {
        ShownCode = System.Text.Encoding.UTF8.GetString(codeValue, offset, count);
        ShownExpiresInMs = expiresInMs;
        Add("qr");
    }

    public void OnWaitingForCustomer() => Add("waiting");

    public void OnCancelling() => Add("cancelling");

    public void OnResult(PaymentResult result)
    {
        Results.Add(result);
        Add("result " + PaymentEngineNames.Status(result.Status));
    }

    public void OnNeedsReview(PaymentResult result)
    {
        Results.Add(result);
        Add("review");
    }

    private void Add(string e)
    {
        Events.Add(e);
        OnEvent?.Invoke(e);
    }
}

internal static class PaymentEngineNames
{
    public static string Status(FinalStatus s) => s switch
    {
        FinalStatus.Success => "SUCCESS",
        FinalStatus.Failed => "FAILED",
        FinalStatus.Cancelled => "CANCELLED",
        FinalStatus.NeedsReview => "NEEDS_REVIEW",
        _ => "NONE",
    };
}

/// <summary>Thrown by <see cref="MemoryStorage"/> when the simulated power fails.</summary>
internal sealed class PowerCutException : IOException
{
    public PowerCutException()
        : base("power cut")
    {
    }
}

/// <summary>How a write that the power cut interrupts leaves the record.</summary>
public enum TearMode
{
    /// <summary>The record holds only the bytes written before the cut.</summary>
    Truncate,

    /// <summary>The new bytes overwrite the old record in place; the old tail stays.</summary>
    Overwrite,
}

/// <summary>
/// In-memory named records with fault injection: after <see cref="CutAfterBytes"/> more written bytes the power
/// fails in the middle of a write, the record is torn as <see cref="Tear"/> says, and the device is dead (every
/// later storage call throws) until <see cref="Reboot"/>.
/// </summary>
internal sealed class MemoryStorage : IDurableStorage
{
    private readonly Dictionary<string, byte[]> _records = new();

    public long CutAfterBytes { get; set; } = long.MaxValue;

    public TearMode Tear { get; set; } = TearMode.Truncate;

    public bool Dead { get; private set; }

    public List<int> WriteSizes { get; } = new();

    public bool FailWrites { get; set; }

    public Action? OnPowerCut { get; set; }

    public int Read(string name, byte[] buffer, int offset, int count)
    {
        CheckAlive();
        if (!_records.TryGetValue(name, out byte[]? data))
        {
            return -1;
        }

        Array.Copy(data, 0, buffer, offset, Math.Min(count, data.Length));
        return data.Length;
    }

    public void Write(string name, byte[] buffer, int offset, int count)
    {
        CheckAlive();
        if (FailWrites)
        {
            throw new IOException("storage full");
        }

        WriteSizes.Add(count);
        if (CutAfterBytes < count)
        {
            int kept = (int)CutAfterBytes;
            byte[] torn;
            if (Tear == TearMode.Overwrite && _records.TryGetValue(name, out byte[]? old))
            {
                torn = new byte[Math.Max(kept, old.Length)];
                Array.Copy(old, torn, old.Length);
                Array.Copy(buffer, offset, torn, 0, kept);
            }
            else
            {
                torn = new byte[kept];
                Array.Copy(buffer, offset, torn, 0, kept);
            }

            _records[name] = torn;
            PowerCut();
        }

        byte[] copy = new byte[count];
        Array.Copy(buffer, offset, copy, 0, count);
        _records[name] = copy;
        CutAfterBytes -= count;
        if (CutAfterBytes == 0)
        {
            // The write completed and the power fails right after it, before anything else happens.
            PowerCut();
        }
    }

    public void Delete(string name)
    {
        CheckAlive();
        _records.Remove(name);
    }

    public void Reboot()
    {
        Dead = false;
        CutAfterBytes = long.MaxValue;
    }

    public byte[]? Get(string name) => _records.TryGetValue(name, out byte[]? d) ? d : null;

    /// <summary>The power fails now, between writes (another part of the device saw it first); nothing is torn.</summary>
    public void CutNow()
    {
        Dead = true;
        CutAfterBytes = long.MaxValue;
        OnPowerCut?.Invoke();
    }

    public void Set(string name, byte[] data) => _records[name] = data;

    private void PowerCut()
    {
        Dead = true;
        CutAfterBytes = long.MaxValue;
        OnPowerCut?.Invoke();
        throw new PowerCutException();
    }

    private void CheckAlive()
    {
        if (Dead)
        {
            throw new PowerCutException();
        }
    }
}
