namespace Terminal.SimulatedDevices.Pulse;

/// <summary>
/// A coin-op machine's coin input as the terminal's pulse output drives it through the optocoupler: the GPIO
/// level in, coins counted out. Written from coin-acceptor practice (docs/vending.md section 4), independently of
/// the driver: a pulse counts when the line was active at least <see cref="MinWidthMs"/> and at most
/// <see cref="MaxWidthMs"/>, after an inactive gap of at least <see cref="MinGapMs"/>; anything else is a
/// violation the machine would misread (counted, and reported through <see cref="ProtocolErrorSeen"/>). A power
/// cut ends a pulse in flight at once: it counts only if it was already long enough. Thread-safe.
/// </summary>
public sealed class CoinInputModel
{
    private readonly Func<long> _clock;
    private readonly bool _activeHigh;
    private readonly object _gate = new();
    private bool _active;
    private long _since;
    private long _lastEnd = long.MinValue / 2;

    /// <param name="activeHigh">The GPIO level that lights the optocoupler (a pulse).</param>
    /// <param name="clock">Monotonic milliseconds; the PC's tick count when null.</param>
    public CoinInputModel(bool activeHigh, Func<long>? clock = null)
    {
        _activeHigh = activeHigh;
        _clock = clock ?? (() => Environment.TickCount64);
    }

    public int MinWidthMs { get; set; } = 20;

    public int MaxWidthMs { get; set; } = 500;

    public int MinGapMs { get; set; } = 20;

    /// <summary>Pulses the machine counted (coins credited).</summary>
    public int Pulses { get; private set; }

    /// <summary>Pulses too short, too long, or too close to the previous one.</summary>
    public int Violations { get; private set; }

    /// <summary>Pulses a power cut ended before they were long enough.</summary>
    public int Truncated { get; private set; }

    /// <summary>Every counted pulse: start and width (ms).</summary>
    public List<(long Start, long Width)> Counted { get; } = new();

    public Action<string>? ProtocolErrorSeen { get; set; }

    /// <summary>Told of each pulse counted, with the count since start (the simulator prints it).</summary>
    public Action<int>? PulseCounted { get; set; }

    /// <summary>The GPIO's new level.</summary>
    public void Write(bool high)
    {
        lock (_gate)
        {
            Level(high == _activeHigh, _clock());
        }
    }

    /// <summary>The terminal loses power: a pulse in flight ends now.</summary>
    public void PowerCut()
    {
        lock (_gate)
        {
            if (_active)
            {
                long width = _clock() - _since;
                _active = false;
                _lastEnd = _clock();
                if (width >= MinWidthMs)
                {
                    Count(_since, width);
                }
                else
                {
                    Truncated++;
                }
            }
        }
    }

    private void Level(bool active, long now)
    {
        if (active == _active)
        {
            return;
        }

        _active = active;
        if (active)
        {
            if (now - _lastEnd < MinGapMs)
            {
                Violation($"gap of {now - _lastEnd} ms before a pulse (at least {MinGapMs})");
            }

            _since = now;
            return;
        }

        long width = now - _since;
        _lastEnd = now;
        if (width < MinWidthMs || width > MaxWidthMs)
        {
            Violation($"pulse of {width} ms (allowed {MinWidthMs}..{MaxWidthMs})");
            return;
        }

        Count(_since, width);
    }

    private void Count(long start, long width)
    {
        Pulses++;
        Counted.Add((start, width));
        PulseCounted?.Invoke(Pulses);
    }

    private void Violation(string what)
    {
        Violations++;
        ProtocolErrorSeen?.Invoke(what);
    }
}
