using Xunit;
using Terminal.Drivers.Scanner;

namespace Terminal.Tests.Scanner;

public class Gm65ScannerTests
{
    private const string Code = "281012345678901234";

    [Fact]
    public void Configure_sets_command_mode_qr_and_a_cr_tail_and_saves_once()
    {
        var rig = new ScannerRig();
        rig.Module.Zones[0x003F] = 0x00;

        Assert.Equal(ScannerStatus.Ready, rig.Scanner.Configure(ScannerMode.CommandTriggered));

        Assert.Equal("Scanner ready", rig.Scanner.StatusMessage);
        Assert.Equal(0xC5, rig.Module.Zones[0x0000]); // only the mode bits changed (C4 -> C5)
        Assert.Equal(0x01, rig.Module.Zones[0x003F]);
        Assert.Equal(0x01, rig.Module.Zones[0x0060]); // tail on, type CR, no protocol wrapping
        Assert.Equal(1, rig.Module.SaveCount);
        Assert.True(rig.Scanner.SavedToFlash);
        Assert.Equal(rig.Module.Zones, rig.Module.Flash);
    }

    [Fact]
    public void Configure_continuous_sets_mode_10()
    {
        var rig = new ScannerRig();
        Assert.Equal(ScannerStatus.Ready, rig.Scanner.Configure(ScannerMode.Continuous));
        Assert.Equal(0x02, rig.Module.Zones[0x0000] & 0x03);
        Assert.Equal("Scanner ready (continuous)", rig.Scanner.StatusMessage);
    }

    [Fact]
    public void A_second_configure_writes_nothing_and_does_not_wear_the_flash()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        int writes = rig.Module.WritesApplied;
        rig.Module.PowerCycle();

        Assert.Equal(ScannerStatus.Ready, rig.Scanner.Configure(ScannerMode.CommandTriggered));
        Assert.Equal(writes, rig.Module.WritesApplied);
        Assert.Equal(1, rig.Module.SaveCount);
        Assert.False(rig.Scanner.SavedToFlash);
    }

    [Fact]
    public void Configure_clears_protocol_wrapping_and_other_tails()
    {
        var rig = new ScannerRig();
        rig.Module.Zones[0x0060] = 0x80 | 0x60 | 0x01; // wrapped output, no tail
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        Assert.Equal(0x01, rig.Module.Zones[0x0060]);
    }

    [Fact]
    public void Configure_keeps_unrelated_bits_of_the_zones_it_touches()
    {
        var rig = new ScannerRig();
        rig.Module.Zones[0x0060] = 0x1E; // bits 4-1 belong to other output settings
        rig.Module.Zones[0x003F] = 0xF0;
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        Assert.Equal(0x1F, rig.Module.Zones[0x0060]);
        Assert.Equal(0xF1, rig.Module.Zones[0x003F]);
    }

    [Fact]
    public void A_missing_module_is_reported_in_plain_words_without_throwing()
    {
        var rig = new ScannerRig(moduleAttached: false);
        long start = rig.Pair.Clock.Mono;

        Assert.Equal(ScannerStatus.NotResponding, rig.Scanner.Configure(ScannerMode.CommandTriggered));

        Assert.Equal("Scanner not responding: check its cable, 5 V power and 9600 baud", rig.Scanner.StatusMessage);
        // It gave up after the attempts of the first command: 3 x 300 ms of simulated time.
        Assert.Equal(3 * 9, rig.Pair.A.WrittenLog.Count);
        Assert.InRange(rig.Pair.Clock.Mono - start, 900, 1000);
    }

    [Fact]
    public void A_silent_module_is_not_responding()
    {
        var rig = new ScannerRig();
        rig.Module.Silent = true;
        Assert.Equal(ScannerStatus.NotResponding, rig.Scanner.Configure(ScannerMode.CommandTriggered));
    }

    [Fact]
    public void Lost_commands_are_retried()
    {
        var rig = new ScannerRig();
        rig.Module.DropNextCommands = 2;
        Assert.Equal(ScannerStatus.Ready, rig.Scanner.Configure(ScannerMode.CommandTriggered));
        Assert.Equal(0x01, rig.Module.Zones[0x0000] & 0x03);
    }

    [Fact]
    public void A_command_corrupted_on_the_wire_gets_silence_and_is_retried()
    {
        var rig = new ScannerRig();
        bool corrupted = false;
        rig.Pair.B.Written = () =>
        {
            if (!corrupted && rig.Pair.B.Available >= 9)
            {
                byte[] frame = rig.Pair.B.Drain();
                frame[5] ^= 0x10; // the address byte flips: CRC no longer matches
                rig.Pair.B.Inject(frame);
                corrupted = true;
            }

            rig.Module.Pump();
        };

        Assert.Equal(ScannerStatus.Ready, rig.Scanner.Configure(ScannerMode.CommandTriggered));
        Assert.Equal(1, rig.Module.BadCrcFrames);
    }

    [Fact]
    public void A_write_that_is_never_acknowledged_fails_the_configuration_by_zone()
    {
        var rig = new ScannerRig();
        rig.Module.IgnoreWritesTo.Add(0x0060);
        Assert.Equal(ScannerStatus.ConfigurationFailed, rig.Scanner.Configure(ScannerMode.CommandTriggered));
        Assert.Equal("Scanner did not confirm setting 0x0060", rig.Scanner.StatusMessage);
        Assert.Equal(0, rig.Module.SaveCount);
    }

    [Fact]
    public void A_refused_write_names_the_zone_and_status()
    {
        var rig = new ScannerRig();
        rig.Module.RefuseWritesTo[0x0000] = 0x01;
        Assert.Equal(ScannerStatus.ConfigurationFailed, rig.Scanner.Configure(ScannerMode.CommandTriggered));
        Assert.Equal("Scanner refused setting 0x0000 (status 1)", rig.Scanner.StatusMessage);
    }

    [Fact]
    public void A_trigger_returns_the_code_with_the_ack_stripped()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Module.Hold(Code);

        rig.Scanner.Trigger();

        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        Assert.Equal(Code, rig.Scanner.CodeToString());
        Assert.Equal(Code.Length, rig.Scanner.CodeLength);
        Assert.Equal(1, rig.Module.Triggers);
        Assert.Equal(ScanOutcome.None, rig.PollUntilSomething(500));
    }

    [Fact]
    public void A_trigger_with_nothing_in_front_gives_nothing()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.None, rig.PollUntilSomething(1000));
    }

    [Fact]
    public void Two_triggers_of_the_same_code_within_the_window_report_it_once_until_forgotten()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Module.Hold(Code);
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.Duplicate, rig.PollUntilSomething());
        rig.Scanner.ForgetLastCode();
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
    }

    [Fact]
    public void After_BeginScan_only_a_code_after_the_acknowledged_trigger_counts_and_a_stale_one_may_be_read_again()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.None, rig.PollUntilSomething(300));

        // The earlier trigger's window is still open: a code shown now is sent before the new scan's trigger.
        rig.Scanner.BeginScan();
        rig.Module.Present(Code);
        Assert.Equal(ScanOutcome.Stale, rig.PollUntilSomething());

        // Shown again and read for this scan's trigger: it counts, and not as a duplicate of the stale read.
        rig.Module.Present(Code);
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        Assert.Equal((Code, 1), (rig.Scanner.CodeToString(), rig.Scanner.StaleLines));
    }

    [Fact]
    public void BeginScan_allocates_nothing()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        byte[] line = System.Text.Encoding.ASCII.GetBytes(Code + "\r");
        rig.Pair.B.Write(line, 0, line.Length);
        rig.Scanner.BeginScan();
        Assert.Equal(1, rig.Scanner.StaleLines);

        // Warm (the first call framed a line too): another late line waits in the UART as the next sale begins.
        rig.Pair.B.Write(line, 0, line.Length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.Scanner.BeginScan();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((0L, 2), (allocated, rig.Scanner.StaleLines));
    }

    [Fact]
    public void After_BeginScan_a_module_that_answers_no_command_still_delivers_codes()
    {
        var rig = new ScannerRig();
        rig.Module.Silent = true;
        rig.Module.Zones[0x0000] = 0xC6; // continuous, as some models ship
        Assert.Equal(ScannerStatus.NotResponding, rig.Scanner.Configure(ScannerMode.CommandTriggered));

        rig.Scanner.BeginScan();
        rig.Scanner.Trigger();
        rig.Module.Hold(Code);

        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        Assert.Equal(0, rig.Scanner.StaleLines);
    }

    // Tails as an unconfigured or differently configured module sends them: CR, CRLF, TAB, none.
    [Theory]
    [InlineData(0x01)]
    [InlineData(0x21)]
    [InlineData(0x41)]
    [InlineData(0x61)]
    [InlineData(0x00)]
    public void Without_configuration_every_tail_and_no_tail_frame_the_code(int outputZone)
    {
        var rig = new ScannerRig();
        rig.Module.Zones[0x0000] = 0xC5; // command mode set by hand
        rig.Module.Zones[0x0060] = (byte)outputZone;
        rig.Module.Hold(Code);

        rig.Scanner.Trigger();

        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        Assert.Equal(Code, rig.Scanner.CodeToString());
        Assert.Equal(ScanOutcome.None, rig.PollUntilSomething(500));
    }

    [Fact]
    public void Continuous_mode_reports_a_held_code_once()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.Continuous);
        rig.Module.Hold(Code);
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());

        for (int i = 0; i < 5; i++)
        {
            rig.Pair.Clock.Advance(500);
            rig.Module.ScanAgain();
            Assert.Equal(ScanOutcome.Duplicate, rig.PollUntilSomething());
        }

        rig.Pair.Clock.Advance(3000);
        rig.Module.ScanAgain();
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
    }

    [Fact]
    public void A_module_that_does_not_answer_commands_still_delivers_codes_by_idle_gap()
    {
        var rig = new ScannerRig();
        rig.Module.Silent = true;
        rig.Module.Zones[0x0000] = 0xC6; // continuous, as some models ship
        Assert.Equal(ScannerStatus.NotResponding, rig.Scanner.Configure(ScannerMode.CommandTriggered));

        rig.Module.Hold(Code);

        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
        Assert.Equal(Code, rig.Scanner.CodeToString());
    }

    [Fact]
    public void After_configuration_a_code_without_its_cr_is_partial()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Pair.A.Inject(Bytes.Ascii("2810123456"));
        Assert.Equal(ScanOutcome.Partial, rig.PollUntilSomething());
    }

    [Fact]
    public void Binary_garbage_is_reported_and_the_next_code_reads()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.CommandTriggered);
        rig.Pair.A.Inject(Bytes.Hex("81 92 A3 B4 C5 D6 0D"));
        Assert.Equal(ScanOutcome.Binary, rig.PollUntilSomething());
        rig.Module.Hold(Code);
        rig.Scanner.Trigger();
        Assert.Equal(ScanOutcome.Code, rig.PollUntilSomething());
    }

    [Fact]
    public void Two_codes_in_one_read_come_out_one_per_poll()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.Continuous);
        rig.Pair.A.Inject(Bytes.Ascii("FIRST-CODE\rSECOND-CODE\r"));
        Assert.Equal(ScanOutcome.Code, rig.Scanner.Poll(10));
        Assert.Equal("FIRST-CODE", rig.Scanner.CodeToString());
        Assert.Equal(ScanOutcome.Code, rig.Scanner.Poll(10));
        Assert.Equal("SECOND-CODE", rig.Scanner.CodeToString());
    }

    // The module's answer to a trigger reaches the driver in two reads, split at every byte position.
    [Fact]
    public void A_triggered_read_split_at_every_byte_across_reads_gives_the_code()
    {
        byte[] stream = Bytes.Concat(Gm65Protocol.Ack, Bytes.Ascii(Code + "\r"));
        for (int split = 0; split <= stream.Length; split++)
        {
            var rig = new ScannerRig();
            rig.Scanner.Configure(ScannerMode.CommandTriggered);
            rig.Pair.A.Inject(stream[..split]);
            var first = rig.Scanner.Poll(10);
            rig.Pair.Clock.Advance(30);
            rig.Pair.A.Inject(stream[split..]);
            var outcome = first != ScanOutcome.None ? first : rig.PollUntilSomething();
            Assert.True(outcome == ScanOutcome.Code, $"split {split}: {outcome}");
            Assert.Equal(Code, rig.Scanner.CodeToString());
        }
    }

    [Fact]
    public void Polling_allocates_nothing()
    {
        var rig = new ScannerRig();
        rig.Scanner.Configure(ScannerMode.Continuous);
        byte[] traffic = Bytes.Ascii(Code + "\r" + "NOISE\u0001\r" + "OTHER-CODE-123\r");
        for (int i = 0; i < 20; i++)
        {
            rig.Pair.A.Inject(traffic);
            while (rig.Scanner.Poll(0) != ScanOutcome.None || rig.Pair.A.Available > 0)
            {
            }
        }

        for (int i = 0; i < 50; i++)
        {
            rig.Pair.A.Inject(traffic);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int codes = 0;
        for (int i = 0; i < 400; i++)
        {
            if (rig.Scanner.Poll(0) == ScanOutcome.Code)
            {
                codes++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(codes > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_refuses_missing_parts()
    {
        var pair = new InMemorySerialPair();
        Assert.Throws<ArgumentNullException>(() => new Gm65Scanner(null!, pair.Clock.MonotonicMs));
        Assert.Throws<ArgumentNullException>(() => new Gm65Scanner(pair.A, null!));
        Assert.Throws<ArgumentNullException>(() => new Gm65Scanner(pair.A, pair.Clock.MonotonicMs, null!));
        Assert.Equal(ScannerStatus.NotConfigured, new Gm65Scanner(pair.A, pair.Clock.MonotonicMs).Status);
    }
}
