using Terminal.Drivers.Buzzer;
using Terminal.Drivers.Ports;
using Terminal.SimulatedDevices.Buzzer;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Sound;

/// <summary>The piezo on the simulated PWM pin.</summary>
internal sealed class ModelTone(PiezoModel piezo) : IToneOutput
{
    public void Play(int frequencyHz, int dutyPercent) => piezo.Play(frequencyHz, dutyPercent);

    public void Silence() => piezo.Silence();
}

/// <summary>The tone sequencer: steps at their times, the volume as duty cycle, never blocking, nothing allocated.</summary>
public sealed class TonePlayerTests
{
    private readonly FakeClock _clock = new();

    [Fact]
    public void A_pattern_plays_its_steps_at_their_times_and_ends_silent()
    {
        var piezo = new PiezoModel(() => _clock.Mono);
        var player = new TonePlayer(new ModelTone(piezo), 60);
        player.Play([2000, 50, 0, 30, 3000, 100], _clock.Mono);
        Run(player, 300);

        Assert.False(player.IsPlaying);
        Assert.False(piezo.Sounding);
        Assert.Equal(new[] { (2000, 30, 50L), (3000, 30, 100L) }, piezo.Tones.Select(t => (t.FrequencyHz, t.DutyPercent, t.DurationMs)));
        Assert.Equal(80, piezo.Tones[1].StartMs - piezo.Tones[0].StartMs);
    }

    [Fact]
    public void A_late_tick_keeps_the_pattern_on_time()
    {
        var piezo = new PiezoModel(() => _clock.Mono);
        var player = new TonePlayer(new ModelTone(piezo), 100);
        player.Play([1000, 40, 2000, 40, 3000, 40], _clock.Mono);
        _clock.Advance(95);
        player.Tick(_clock.Mono);

        // The main loop was 95 ms late: the third tone plays now, for what is left of its time.
        Assert.True(piezo.Sounding);
        Assert.Equal(2, piezo.Tones.Count);
        Run(player, 100);
        Assert.Equal(3000, piezo.Tones[^1].FrequencyHz);
        Assert.Equal(25, piezo.Tones[^1].DurationMs);
    }

    [Fact]
    public void Volume_zero_plays_nothing_and_a_new_pattern_replaces_the_old()
    {
        var piezo = new PiezoModel(() => _clock.Mono);
        new TonePlayer(new ModelTone(piezo), 0).Play([2000, 50], _clock.Mono);
        Assert.Empty(piezo.Tones);
        Assert.False(piezo.Sounding);

        var player = new TonePlayer(new ModelTone(piezo), 2);
        player.Play([500, 1000], _clock.Mono);
        _clock.Advance(10);
        player.Play([4000, 20], _clock.Mono);
        Run(player, 50);
        Assert.Equal(new[] { 500, 4000 }, piezo.Tones.Select(t => t.FrequencyHz));
        Assert.All(piezo.Tones, t => Assert.Equal(1, t.DutyPercent));
    }

    [Fact]
    public void Ticking_allocates_nothing()
    {
        var player = new TonePlayer(new SilentTone(), 50);
        int[] pattern = [2000, 5, 0, 5, 3000, 5];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            if (!player.IsPlaying)
            {
                player.Play(pattern, _clock.Mono);
            }

            _clock.Advance(1);
            player.Tick(_clock.Mono);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private void Run(TonePlayer player, int ms)
    {
        for (int i = 0; i < ms; i++)
        {
            _clock.Advance(1);
            player.Tick(_clock.Mono);
        }
    }

    private sealed class SilentTone : IToneOutput
    {
        public void Play(int frequencyHz, int dutyPercent)
        {
        }

        public void Silence()
        {
        }
    }
}
