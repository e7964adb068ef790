using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>One emulator per test class (xunit class fixture); tests keep apart through unique ids and clients.</summary>
public class SharedEmulator : IAsyncLifetime
{
    internal EmulatorSession Session { get; private set; } = null!;

    public async Task InitializeAsync() => Session = await EmulatorSession.StartAsync(Configure);

    public virtual async Task DisposeAsync() => await Session.DisposeAsync();

    protected virtual void Configure(AntomEmulatorOptions options)
    {
    }
}

/// <summary>Short cancel (10 min) and refund (1 day) windows, reachable by moving the clock.</summary>
public sealed class ShortWindowsEmulator : SharedEmulator
{
    protected override void Configure(AntomEmulatorOptions options)
    {
        options.CancelWindow = TimeSpan.FromMinutes(10);
        options.RefundWindow = TimeSpan.FromDays(1);
    }
}
