using Terminal.Drivers.Keypad;
using Xunit;

namespace Terminal.Tests.Keypad;

/// <summary>
/// The keypad driver (PCF8574 matrix scanning and debouncing) against the expander model: every key reads as
/// printed, typing at human speeds on bouncing contacts gives each key exactly once, mashing invents nothing, an
/// unplugged expander is counted, and a scan allocates nothing.
/// </summary>
public sealed class KeypadTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_key_reads_as_printed(bool fourByFour)
    {
        var rig = new KeypadRig(fourByFour);
        foreach (char key in rig.Model.Keys)
        {
            rig.Model.Press(key);
            rig.Run(80);
            rig.Model.Release(key);
            rig.Run(80);
        }

        Assert.Equal(rig.Model.Keys, rig.Taken());
    }

    [Fact]
    public void Typing_at_human_speed_on_bouncing_contacts_gives_every_key_once()
    {
        // Presses of 60-200 ms, 40-200 ms apart, contacts chattering up to 8 ms, the main loop scanning every
        // 3-25 ms with jitter: 300 runs of 20 keys.
        var random = new Random(7);
        for (int run = 0; run < 300; run++)
        {
            var rig = new KeypadRig(seed: run);
            rig.Model.BounceMs = random.Next(0, 9);
            int period = random.Next(3, 26);
            string typed = new(Enumerable.Range(0, 20).Select(_ => rig.Model.Keys[random.Next(rig.Model.Keys.Length)]).ToArray());
            var taken = new System.Text.StringBuilder();
            foreach (char key in typed)
            {
                rig.Model.Press(key);
                RunJittered(rig, random.Next(60, 201), period, random);
                rig.Model.Release(key);
                RunJittered(rig, random.Next(40, 201), period, random);
                taken.Append(rig.Taken());
            }

            Assert.Equal(typed, taken.ToString());
        }
    }

    [Fact]
    public void Without_debouncing_the_same_bouncing_contacts_double_keys()
    {
        // Negative control: the bounce of the model is real enough to fool a keypad that only asks for two equal
        // readings in a row (what is left of the debouncer at 0 ms).
        int doubled = 0;
        for (int run = 0; run < 50; run++)
        {
            var rig = new KeypadRig(debounceMs: 0, seed: run);
            rig.Model.BounceMs = 8;
            rig.Model.Press('5');
            rig.Run(100, periodMs: 1);
            rig.Model.Release('5');
            rig.Run(100, periodMs: 1);
            doubled += rig.Taken().Length > 1 ? 1 : 0;
        }

        Assert.True(doubled >= 10, $"only {doubled} of 50 bounced presses doubled without debouncing");
    }

    [Fact]
    public void A_key_held_for_seconds_is_one_key()
    {
        var rig = new KeypadRig();
        rig.Model.BounceMs = 5;
        rig.Model.Press('#');
        rig.Run(5000);
        rig.Model.Release('#');
        rig.Run(100);

        Assert.Equal("#", rig.Taken());
    }

    [Fact]
    public void Mashed_keys_each_count_once_and_nothing_else_appears()
    {
        var rig = new KeypadRig();
        // One finger per row and column: no rectangle, so no ghost.
        foreach (char key in "16B*")
        {
            rig.Model.Press(key);
        }

        rig.Run(100);
        foreach (char key in "16B*")
        {
            rig.Model.Release(key);
        }

        rig.Run(100);
        Assert.Equal("16B*", rig.Taken());
    }

    [Fact]
    public void Three_keys_at_the_corners_of_a_rectangle_show_the_fourth_as_on_a_real_keypad()
    {
        // Without diodes, 1, 2 and 4 pressed join row 1 and column 2 through 1-4 and 1-2: 5 reads pressed too.
        var rig = new KeypadRig();
        foreach (char key in "124")
        {
            rig.Model.Press(key);
        }

        rig.Run(100);
        Assert.Equal("1245", rig.Taken());
    }

    [Fact]
    public void An_unplugged_expander_is_counted_and_typing_resumes_when_it_is_back()
    {
        var rig = new KeypadRig();
        rig.Model.Connected = false;
        rig.Model.Press('7');
        rig.Run(100);
        Assert.Equal(10, rig.Keypad.ReadFailures);
        Assert.Equal("", rig.Taken());

        rig.Model.Connected = true;
        rig.Run(100);
        rig.Model.Release('7');
        rig.Run(100);
        rig.Model.Press('8');
        rig.Run(100);
        Assert.Equal("78", rig.Taken());
    }

    [Fact]
    public void More_than_sixteen_waiting_keys_are_dropped_and_counted()
    {
        var rig = new KeypadRig();
        for (int i = 0; i < 20; i++)
        {
            rig.Model.Press('1');
            rig.Run(50);
            rig.Model.Release('1');
            rig.Run(50);
        }

        Assert.Equal(16, rig.Taken().Length);
        Assert.Equal(4, rig.Keypad.Dropped);
    }

    [Fact]
    public void An_idle_scan_is_one_i2c_read_and_no_scan_allocates()
    {
        var rig = new KeypadRig();
        rig.Run(50);
        int reads = rig.Model.Reads;
        int writes = rig.Model.Writes;
        rig.Run(1000);
        Assert.Equal(100, rig.Model.Reads - reads);
        Assert.Equal(0, rig.Model.Writes - writes);

        // A held key: a full scan (4 rows) each time; a key going down and up: queued and taken.
        rig.Model.Press('0');
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            rig.Clock.Advance(10);
            rig.Keypad.Scan(rig.Clock.Mono);
            rig.Keypad.TryTake(out _);
        }

        rig.Model.Release('0');
        for (int i = 0; i < 100; i++)
        {
            rig.Clock.Advance(10);
            rig.Keypad.Scan(rig.Clock.Mono);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_layout_must_have_one_key_per_place()
    {
        Assert.Throws<ArgumentException>(() => new KeypadLayout(4, 4, "123"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeypadLayout(5, 4, new string('1', 20)));
        Assert.Equal(-1, KeypadLayout.ThreeByFour().BitOf('A'));
        Assert.Equal(3, KeypadLayout.FourByFour().BitOf('A'));
    }

    private static void RunJittered(KeypadRig rig, int durationMs, int periodMs, Random random)
    {
        for (long end = rig.Clock.Mono + durationMs; rig.Clock.Mono < end;)
        {
            rig.Clock.Advance(Math.Max(1, periodMs + random.Next(-2, 3)));
            rig.Keypad.Scan(rig.Clock.Mono);
        }
    }
}
