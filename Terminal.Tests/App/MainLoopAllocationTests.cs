using Terminal.Firmware.App;
using Terminal.Firmware.Screens;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.App;

/// <summary>docs/architecture.md section 5: the main loop allocates nothing while nothing new happens.</summary>
public sealed class MainLoopAllocationTests
{
    [Fact]
    public void Idle_main_loop_allocates_nothing()
    {
        using var rig = new AppRig();
        rig.App.Start();
        RunUntil(rig, () => rig.App.Phase == DeskPhase.Idle && rig.App.Screen == ScreenKind.Idle && !rig.App.Framebuffer.IsDirty);

        Assert.Equal(0, AllocatedByPasses(rig, 100));
    }

    [Fact]
    public void Idle_main_loop_with_keypad_buzzer_and_printer_allocates_nothing()
    {
        // Each pass scans the keypad, ticks the buzzer and moves the printer on; a key held down is one key.
        using var rig = new AppRig(countertop: true);
        rig.App.Start();
        RunUntil(rig, () => rig.App.Phase == DeskPhase.Idle && rig.App.Screen == ScreenKind.Idle && !rig.App.Framebuffer.IsDirty);
        Assert.Equal(0, AllocatedByPasses(rig, 100));

        rig.Keys!.Press('B');
        RunUntil(rig, () => rig.App.Keypad!.Presses == 1);
        Assert.Equal(0, AllocatedByPasses(rig, 100));
        Assert.Equal(1, rig.App.Keypad!.Presses);
    }

    [Fact]
    public void Main_loop_allocates_nothing_while_the_qr_code_counts_down()
    {
        using var rig = new AppRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Server.OrderLifetimeMs = 60000;
        rig.App.Start();
        RunUntil(rig, () => rig.App.Phase == DeskPhase.Idle);
        rig.Register.Send("SALE 1250 USD MPM Q-1");
        RunUntil(rig, () => rig.App.Screen == ScreenKind.Qr);

        // 250 passes of at least 5 ms: the countdown changes at least once.
        Assert.Equal(0, AllocatedByPasses(rig, 250));
        rig.Register.Send("ABORT");
        RunUntil(rig, () => rig.App.Screen == ScreenKind.Result);
    }

    private static long AllocatedByPasses(AppRig rig, int passes)
    {
        for (int i = 0; i < 20; i++)
        {
            rig.App.RunOnce();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < passes; i++)
        {
            rig.App.RunOnce();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void RunUntil(AppRig rig, Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + AppRig.WaitMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "the app did not reach the expected state");
            rig.App.RunOnce();
        }
    }
}
