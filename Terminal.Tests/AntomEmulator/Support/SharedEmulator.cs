using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>One emulator per test class (xunit class fixture); tests keep apart through unique ids and clients.</summary>
public sealed class SharedEmulator : IAsyncLifetime
{
    internal EmulatorSession Session { get; private set; } = null!;

    public async Task InitializeAsync() => Session = await EmulatorSession.StartAsync();

    public async Task DisposeAsync() => await Session.DisposeAsync();
}
