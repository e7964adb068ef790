namespace Terminal.SimulatedDevices.Buzzer;

/// <summary>One tone the piezo sounded: its pitch, loudness (duty cycle) and when it played.</summary>
public sealed record Tone(int FrequencyHz, int DutyPercent, long StartMs, long DurationMs);

/// <summary>
/// A passive piezo buzzer on a PWM pin: it sounds whatever square wave it is given. Records each tone with its
/// start and length (on its clock), and groups tones separated by less than <see cref="GapMs"/> into one cue, so
/// the simulator can print "the terminal beeped" as text. Thread-safe.
/// </summary>
public sealed class PiezoModel
{
    /// <summary>Silence that ends a cue.</summary>
    public const int GapMs = 150;

    private readonly object _gate = new();
    private readonly Func<long> _clock;
    private readonly List<Tone> _tones = new();
    private int _frequency;
    private int _duty;
    private long _since;
    private int _reported;

    public PiezoModel(Func<long>? clock = null)
    {
        _clock = clock ?? (() => Environment.TickCount64);
    }

    /// <summary>Told of each finished cue (the tones of one pattern).</summary>
    public Action<IReadOnlyList<Tone>>? CueFinished { get; set; }

    /// <summary>Every tone so far, oldest first.</summary>
    public IReadOnlyList<Tone> Tones
    {
        get
        {
            lock (_gate)
            {
                return _tones.ToArray();
            }
        }
    }

    /// <summary>True while a tone sounds.</summary>
    public bool Sounding
    {
        get
        {
            lock (_gate)
            {
                return _frequency > 0;
            }
        }
    }

    /// <summary>The PWM starts or changes: a square wave of this frequency and duty cycle.</summary>
    public void Play(int frequencyHz, int dutyPercent)
    {
        if (frequencyHz < 20 || frequencyHz > 20000 || dutyPercent < 1 || dutyPercent > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(frequencyHz), $"{frequencyHz} Hz at {dutyPercent} %: not a tone a piezo buzzer is driven with");
        }

        lock (_gate)
        {
            long now = _clock();
            EndTone(now);
            _frequency = frequencyHz;
            _duty = dutyPercent;
            _since = now;
        }
    }

    /// <summary>The PWM stops.</summary>
    public void Silence()
    {
        lock (_gate)
        {
            EndTone(_clock());
        }
    }

    /// <summary>
    /// Reports the cue once it is over: the tones since the last report, when the piezo has been silent for
    /// <see cref="GapMs"/>. Call it now and then (the simulator's viewer does).
    /// </summary>
    public void Flush()
    {
        Tone[] cue;
        lock (_gate)
        {
            if (_frequency > 0 || _reported == _tones.Count || _clock() - LastEnd() < GapMs)
            {
                return;
            }

            cue = _tones.Skip(_reported).ToArray();
            _reported = _tones.Count;
        }

        CueFinished?.Invoke(cue);
    }

    private long LastEnd()
    {
        Tone last = _tones[^1];
        return last.StartMs + last.DurationMs;
    }

    private void EndTone(long now)
    {
        if (_frequency > 0)
        {
            _tones.Add(new Tone(_frequency, _duty, _since, now - _since));
            _frequency = 0;
        }
    }
}
