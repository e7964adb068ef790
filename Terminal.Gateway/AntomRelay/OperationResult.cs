using Terminal.Gateway.Api;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.AntomRelay;

/// <summary>The answer for the device plus how it was obtained (for the record). <see cref="StoredUpstreamBody"/> is
/// the upstream body as it may be stored (payment code masked, <see cref="PaymentCodes"/>); <see cref="Fact"/> is what
/// Antom's verified answer proves about the payment or refund, stored with the record.</summary>
public sealed record OperationResult(string ResponseBody, string UpstreamOutcome, UpstreamResult? Upstream, string? Detail, Utf8Text? StoredUpstreamBody = null,
    StateFact? Fact = null)
{
    /// <summary>
    /// Nothing reached Antom and the gateway could not finish for a reason of its own (its database, mostly): the record
    /// is released instead of completed, so the same signed request sent again is executed as new.
    /// </summary>
    public bool Release { get; init; }

    /// <summary>Answered by the gateway itself, nothing sent to Antom.</summary>
    public static OperationResult Local(string status, string code, string message) =>
        new(AntomJson.Result(status, code, message), UpstreamOutcomes.NotSent, null, code + ": " + message);

    /// <summary>The gateway failed before anything was sent: U for the device, the request released (<see cref="Release"/>).</summary>
    public static OperationResult NothingSent(string why) =>
        new(AntomJson.Result("U", ResultCodes.UnknownException, "gateway: temporarily unable to process the request; nothing was sent to Antom: send the same request again"),
            UpstreamOutcomes.NotSent, null, "not sent: " + why) { Release = true };
}
