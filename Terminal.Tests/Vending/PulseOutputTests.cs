using Terminal.Drivers.Ports;
using Terminal.Drivers.Pulse;
using Terminal.SimulatedDevices.Pulse;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// The pulse train as a coin-op machine's coin input counts it (docs/vending.md section 4), on a simulated clock:
/// exact widths, gaps never shorter than configured, the journal asked before each pulse and a refusal stopping
/// the train before that pulse, and neither an early-waking sleeper nor a slow journal write changing a pulse.
/// </summary>
public sealed class PulseOutputTests
{
    private readonly FakeClock _clock = new();

    [Theory]
    [InlineData(true, 50, 100)]
    [InlineData(false, 30, 30)]
    [InlineData(true, 100, 300)]
    public void A_train_has_the_configured_width_and_at_least_the_configured_gap(bool activeHigh, int width, int gap)
    {
        var machine = Strict(activeHigh);
        var output = new PulseOutput(new Line(machine), new Timer(_clock, maxStepMs: int.MaxValue), activeHigh, width, gap);
        output.Release();

        Assert.Equal(5, output.Send(1, 5, null));

        Assert.Equal(5, machine.Pulses);
        Assert.All(machine.Counted, p => Assert.Equal(width, p.Width));
        for (int i = 1; i < machine.Counted.Count; i++)
        {
            long pause = machine.Counted[i].Start - (machine.Counted[i - 1].Start + machine.Counted[i - 1].Width);
            Assert.Equal(gap, pause);
        }

        Assert.Equal(5, output.Sent);
    }

    [Fact]
    public void A_sleeper_that_wakes_early_cannot_shorten_a_pulse()
    {
        var machine = Strict(true);
        var output = new PulseOutput(new Line(machine), new Timer(_clock, maxStepMs: 7), true, 50, 100);

        output.Send(1, 3, null);

        Assert.Equal(3, machine.Pulses);
        Assert.All(machine.Counted, p => Assert.Equal(50, p.Width));
    }

    [Fact]
    public void The_journal_is_asked_before_each_pulse_and_its_write_lengthens_the_gap_never_the_pulse()
    {
        var machine = Strict(true);
        var journal = new Journal(_clock, writeMs: 140) { Machine = machine };
        var output = new PulseOutput(new Line(machine), new Timer(_clock, int.MaxValue), true, 50, 100);

        Assert.Equal(5, output.Send(2, 5, journal));

        // Pulse n was journaled while the machine had counted n - 2 (numbers count the whole credit, from 2 here).
        Assert.Equal([(2, 0), (3, 1), (4, 2), (5, 3)], journal.Asked);
        Assert.All(machine.Counted, p => Assert.Equal(50, p.Width));
        for (int i = 1; i < machine.Counted.Count; i++)
        {
            Assert.Equal(140, machine.Counted[i].Start - (machine.Counted[i - 1].Start + 50));
        }
    }

    [Fact]
    public void A_pulse_the_journal_could_not_record_is_never_sent()
    {
        var machine = Strict(true);
        var journal = new Journal(_clock, writeMs: 0) { RefuseFrom = 3 };
        var line = new Line(machine);
        var output = new PulseOutput(line, new Timer(_clock, int.MaxValue), true, 50, 100);

        Assert.Equal(2, output.Send(1, 4, journal));

        Assert.Equal(2, machine.Pulses);
        Assert.False(line.Level, "the line was left active");
    }

    [Fact]
    public void The_coin_input_model_rejects_pulses_a_machine_would_misread()
    {
        // Negative control for the strict model the other tests rely on: too short, and too close together.
        var problems = new List<string>();
        var machine = new CoinInputModel(true, () => _clock.Mono) { ProtocolErrorSeen = problems.Add };
        var output = new PulseOutput(new Line(machine), new Timer(_clock, int.MaxValue), true, 5, 5);

        output.Send(1, 2, null);

        Assert.Equal(0, machine.Pulses);
        Assert.Equal(3, machine.Violations);
        Assert.Contains(problems, p => p.StartsWith("pulse of 5 ms", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("gap of 5 ms", StringComparison.Ordinal));
    }

    [Fact]
    public void Idle_and_level_after_start_up_are_the_inactive_level()
    {
        var machine = Strict(false);
        var line = new Line(machine);
        var output = new PulseOutput(line, new Timer(_clock, int.MaxValue), false, 50, 100);
        output.Release();
        Assert.True(line.Level, "active-low output idles high");
        output.Send(1, 1, null);
        Assert.True(line.Level);
        Assert.Equal(1, machine.Pulses);
    }

    private CoinInputModel Strict(bool activeHigh) => new(activeHigh, () => _clock.Mono)
    {
        ProtocolErrorSeen = problem => Assert.Fail("the machine misread the train: " + problem),
    };

    private sealed class Line(CoinInputModel machine) : IDigitalOutput
    {
        public bool Level { get; private set; }

        public void Write(bool high)
        {
            Level = high;
            machine.Write(high);
        }
    }

    /// <summary>The simulated clock; each sleep advances it by at most <paramref name="maxStepMs"/> (an early wake).</summary>
    private sealed class Timer(FakeClock clock, int maxStepMs) : IPulseTimer
    {
        public long MonotonicMs() => clock.Mono;

        public void Sleep(int milliseconds) => clock.Advance(Math.Min(milliseconds, maxStepMs));
    }

    private sealed class Journal(FakeClock clock, int writeMs) : IPulseJournal
    {
        public List<(int Number, int CountedBefore)> Asked { get; } = new();

        public CoinInputModel? Machine { get; init; }

        public int RefuseFrom { get; init; } = int.MaxValue;

        public bool BeforePulse(int number)
        {
            Asked.Add((number, Machine?.Pulses ?? 0));
            clock.Advance(writeMs);
            return number < RefuseFrom;
        }
    }
}
