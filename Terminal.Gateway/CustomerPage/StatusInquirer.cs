using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// Asks Antom about a payment the records still show open, for the result page, within limits: a payment is inquired
/// at most every <c>InquiryIntervalSeconds</c> and <c>MaxInquiriesPerPayment</c> times (counted in the database, so
/// reloads, several tabs and several gateway instances share them), at most <c>MaxConcurrentInquiries</c> at once in
/// this process, and a page waits at most <c>InquiryTimeoutMs</c>. What a verified answer says is recorded as the
/// device relay records it; anything else leaves the records as they were.
/// </summary>
public sealed class StatusInquirer(GatewaySettings settings, CustomerLinkStore links, Resolver resolver, ILogger<StatusInquirer> log)
    : IDisposable
{
    private readonly SemaphoreSlim _slots = new(settings.Options.CustomerPage.MaxConcurrentInquiries);

    /// <summary>Inquires if the limits allow; true when the records may have changed.</summary>
    public async Task<bool> RefreshAsync(CustomerLinkRecord link, CancellationToken ct)
    {
        var options = settings.Options.CustomerPage;
        if (options.MaxInquiriesPerPayment == 0 || !await _slots.WaitAsync(0, ct).ConfigureAwait(false)) return false;
        try
        {
            long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
            if (!await links.ClaimInquiryAsync(link.TokenHash, now, options.InquiryIntervalSeconds * 1000L, options.MaxInquiriesPerPayment, ct).ConfigureAwait(false))
                return false;
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
            budget.CancelAfter(options.InquiryTimeoutMs);
            string body = AntomJson.Serialize(new JsonObject { ["paymentRequestId"] = link.PaymentRequestId });
            // A resolver step: recorded, and what Antom's answer proves applied to the payment forward-only, as every
            // other writer of payment state does (docs/gateway.md, "The resolver").
            StepResult step;
            try
            {
                step = await resolver.RunStepAsync(new ResolutionStep(StateSubject.Payment, link.PaymentRequestId, DeviceOperations.InquiryPayment, body, "customer_page"),
                    budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
            if (!step.Answered || step.Answer.ResultStatus != "S") return false;
            if (PaymentStatuses.Known(step.Answer.PaymentStatus) == PaymentStatuses.Fail && step.Answer.PaymentResultCode is { } code)
                await links.RecordResultCodeAsync(link.TokenHash, code, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException || GatewayDatabase.IsUnavailable(e))
        {
            log.LogWarning(e, "result page: could not record an inquiry's answer");
            return false;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
