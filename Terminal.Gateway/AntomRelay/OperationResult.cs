using Terminal.Gateway.Api;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.AntomRelay;

/// <summary>The answer for the device plus how it was obtained (for the record). <see cref="StoredUpstreamBody"/> is
/// the upstream body as it may be stored (payment code masked, <see cref="PaymentCodes"/>).</summary>
public sealed record OperationResult(string ResponseBody, string UpstreamOutcome, UpstreamResult? Upstream, string? Detail, string? StoredUpstreamBody = null)
{
    /// <summary>Answered by the gateway itself, nothing sent to Antom.</summary>
    public static OperationResult Local(string status, string code, string message) =>
        new(AntomJson.Result(status, code, message), UpstreamOutcomes.NotSent, null, code + ": " + message);
}
