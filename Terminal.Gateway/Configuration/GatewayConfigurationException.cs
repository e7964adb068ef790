namespace Terminal.Gateway.Configuration;

/// <summary>The configuration is unusable; <see cref="Errors"/> names every bad key and why.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception("invalid gateway configuration:\n  - " + string.Join("\n  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
