using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// Asks Antom about a payment the records still show open, for the result page, within limits: a payment is inquired
/// at most every <c>InquiryIntervalSeconds</c> and <c>MaxInquiriesPerPayment</c> times (counted in the database, so
/// reloads, several tabs and several gateway instances share them), at most <c>MaxConcurrentInquiries</c> at once in
/// this process, and a page waits at most <c>InquiryTimeoutMs</c>. What a verified answer says is recorded as the
/// device relay records it; anything else leaves the records as they were.
/// </summary>
public sealed class StatusInquirer(GatewaySettings settings, GatewayStore store, CustomerLinkStore links, AntomClient antom, ILogger<StatusInquirer> log)
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
            UpstreamResult answer;
            try
            {
                answer = await antom.SendAsync(DeviceOperations.InquiryPayment, DeviceOperations.Paths[DeviceOperations.InquiryPayment], body, budget.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
            if (answer.Outcome != UpstreamOutcomes.Ok) return false;
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(answer.Body!));
            if (AntomJson.Str(response, "result", "resultStatus") != "S") return false;
            string? status = DeviceOperations.KnownStatus(AntomJson.Str(response, "paymentStatus"));
            await store.UpdatePaymentAsync(link.PaymentRequestId, AntomJson.Str(response, "paymentId"), status,
                settings.Clock.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
            if (status is "FAIL" && AntomJson.Str(response, "paymentResultCode") is { } code)
                await links.RecordResultCodeAsync(link.TokenHash, code, ct).ConfigureAwait(false);
            return true;
        }
        catch (System.Data.Common.DbException e)
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
