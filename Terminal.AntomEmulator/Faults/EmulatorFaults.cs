namespace Terminal.AntomEmulator;

/// <summary>
/// Fault injection for the Antom API endpoints (never for <c>/__emulator/</c>). Rules are checked in the order
/// they were added; the first that matches and whose probability draw hits decides the request's fate (one fault
/// per request). Faults apply only to requests that passed signature checks. Thread-safe.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly List<Entry> _rules = new();
    private readonly List<AppliedFault> _history = new();
    private readonly Lock _gate = new();
    private readonly int _seed;
    private readonly TimeProvider _clock;
    private long _nextId;

    internal EmulatorFaults(int seed, TimeProvider clock)
    {
        _seed = seed;
        _clock = clock;
    }

    /// <summary>Adds <paramref name="rule"/>; returns its id.</summary>
    /// <exception cref="ArgumentException">The rule is inconsistent (e.g. Count 0, Probability 2, HttpStatus 200).</exception>
    public long Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_gate)
        {
            long id = ++_nextId;
            _rules.Add(new Entry(id, rule, rule.Count, new Random(unchecked((_seed * 397) ^ (int)id))));
            return id;
        }
    }

    /// <summary>Removes the rule with <paramref name="id"/>; false if it is gone already.</summary>
    public bool Remove(long id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(e => e.Id == id) > 0;
        }
    }

    /// <summary>Removes every rule (the history stays).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<ActiveFault> Rules()
    {
        lock (_gate)
        {
            return _rules.Select(e => new ActiveFault(e.Id, e.Rule, e.Remaining)).ToList();
        }
    }

    /// <summary>Every fault applied so far, oldest first.</summary>
    public IReadOnlyList<AppliedFault> History()
    {
        lock (_gate)
        {
            return _history.ToList();
        }
    }

    internal FaultRule? Pick(string clientId, AntomApi api)
    {
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                Entry entry = _rules[i];
                if ((entry.Rule.ClientId != null && entry.Rule.ClientId != clientId) || (entry.Rule.Api is AntomApi only && only != api))
                {
                    continue;
                }

                if (entry.Rule.Probability < 1 && entry.Random.NextDouble() >= entry.Rule.Probability)
                {
                    continue;
                }

                if (entry.Remaining is int remaining)
                {
                    if (remaining <= 1)
                    {
                        _rules.RemoveAt(i);
                    }
                    else
                    {
                        entry.Remaining = remaining - 1;
                    }
                }

                _history.Add(new AppliedFault(entry.Id, entry.Rule.Kind, clientId, api, _clock.GetUtcNow()));
                return entry.Rule;
            }

            return null;
        }
    }

    private sealed class Entry
    {
        public Entry(long id, FaultRule rule, int? remaining, Random random)
        {
            Id = id;
            Rule = rule;
            Remaining = remaining;
            Random = random;
        }

        public long Id { get; }

        public FaultRule Rule { get; }

        public int? Remaining { get; set; }

        public Random Random { get; }
    }
}
