using Terminal.Loader.Boot;
using Terminal.Tests.Storage;
using Terminal.Tests.Support;
using Terminal.Transactions;
using Terminal.Updates.Health;
using Xunit;

namespace Terminal.Tests.Updates;

public sealed class HealthRuleTests
{
    private const long TenMinutes = 600_000;

    private static BootSelector OnTrial()
    {
        var selector = new BootSelector(new BootSelectorTests.Folder(new FaultyFolder()));
        selector.Switch("1.2");
        selector.ChooseAtBoot();
        return selector;
    }

    private static DeskResult Result() => new(new Terminal.Payments.Engine.PaymentResult(), false, "ref", 100, "CNY", 1);

    [Fact]
    public void After_the_self_test_the_time_rule_marks_the_version_healthy_and_not_before()
    {
        BootSelector boot = OnTrial();
        var clock = new FakeClock();
        var rule = new HealthRule(boot, clock, TenMinutes, 5);
        clock.Advance(TenMinutes);
        rule.Check();
        Assert.Equal("1.2", boot.State.Candidate); // no self-test verdict yet
        Assert.True(rule.SelfTestDone(true, ""));
        Assert.True(rule.MarkedHealthy);
        Assert.Equal(("1.2", ""), (boot.State.Active, boot.State.Candidate));
    }

    [Fact]
    public void The_transaction_rule_marks_it_healthy_before_the_time()
    {
        BootSelector boot = OnTrial();
        var clock = new FakeClock();
        var rule = new HealthRule(boot, clock, TenMinutes, 3);
        rule.SelfTestDone(true, "");
        rule.OnResult(Result());
        rule.OnResult(Result());
        clock.Advance(TenMinutes - 1);
        rule.Check();
        Assert.False(rule.MarkedHealthy);
        rule.OnResult(Result());
        Assert.True(rule.MarkedHealthy);
        Assert.Equal("1.2", boot.State.Active);
    }

    [Fact]
    public void A_failed_self_test_rolls_the_version_back_with_the_failure_and_is_never_marked()
    {
        BootSelector boot = OnTrial();
        var clock = new FakeClock();
        var rule = new HealthRule(boot, clock, 0, 1);
        Assert.False(rule.SelfTestDone(false, "qr FAIL"));
        rule.OnResult(Result());
        Assert.False(rule.MarkedHealthy);
        Assert.Equal(("", "", "1.2", "self-test failed: qr FAIL"), (boot.State.Active, boot.State.Candidate, boot.State.RolledBack, boot.State.Reason));
    }

    [Fact]
    public void A_terminal_with_nothing_on_trial_is_left_alone()
    {
        var folder = new FaultyFolder();
        var boot = new BootSelector(new BootSelectorTests.Folder(folder));
        var rule = new HealthRule(boot, new FakeClock(), 0, 1);
        Assert.True(rule.SelfTestDone(false, "display absent"));
        Assert.Empty(folder.Names);
    }
}
