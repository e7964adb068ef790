using Terminal.Gateway.Api;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Resolution;

/// <summary>
/// One call the resolver makes to Antom on its own: which payment or refund it is about, the Antom operation
/// (inquiryPayment, inquiryRefund; a resolution queue adds cancel and refund), the JSON body to send, and why
/// (<c>stale_request</c>, <c>repair</c>, <c>identify</c>, or the caller's own reason). <see cref="TransactionId"/> names the
/// device request it resolves, if any. <see cref="PaymentCode"/> matters only for a pay.
/// </summary>
public sealed record ResolutionStep(StateSubject Subject, string RequestId, string Operation, string Body, string Reason, string? TransactionId = null,
    bool PaymentCode = false);

/// <summary>
/// What a step came to: the upstream outcome (<see cref="UpstreamOutcomes"/>), Antom's verified body when the outcome
/// is ok, the fields the gateway reads from it, and the payment or refund row after what it proved was applied.
/// </summary>
public sealed record StepResult(string StepId, string Outcome, string? ResponseBody, AntomAnswer Answer, AppliedFact? Applied)
{
    public bool Answered => Outcome == UpstreamOutcomes.Ok;
}
