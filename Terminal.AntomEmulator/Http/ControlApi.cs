using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Terminal.AntomEmulator;

/// <summary>
/// The test-only control API under <c>/__emulator/</c>: the same wallet, fault, record and clock controls as the
/// in-process API, as plain JSON over HTTP (no signatures). docs/antom-emulator.md lists every route.
/// </summary>
internal sealed class ControlApi
{
    public const string Prefix = "/__emulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Like the Antom answers: base64 keys keep their '+' (the default encoder writes \u002B).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly AntomEmulatorServer _server;

    public ControlApi(AntomEmulatorServer server)
    {
        _server = server;
    }

    public static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        string route = context.Request.Path.Value!.Substring(Prefix.Length).TrimEnd('/');
        string method = context.Request.Method;
        try
        {
            await RouteAsync(context, method, route).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidOperationException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new { error = e.Message }).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context, string method, string route)
    {
        bool get = HttpMethods.IsGet(method);
        bool post = HttpMethods.IsPost(method);
        bool delete = HttpMethods.IsDelete(method);
        var wallet = _server.Wallet;
        switch (route)
        {
            case "/health" when get:
                await WriteAsync(context, 200, new { status = "ok" }).ConfigureAwait(false);
                return;
            case "/ca.pem" when get:
                context.Response.ContentType = "application/x-pem-file";
                await context.Response.WriteAsync(_server.CaCertificatePem).ConfigureAwait(false);
                return;
            case "/antom-public-key" when get:
                await WriteAsync(context, 200, new
                {
                    keyVersion = _server.AntomKeyVersion,
                    publicKey = _server.AntomPublicKeyBase64,
                }).ConfigureAwait(false);
                return;
            case "/clients" when post:
            {
                var request = await ReadAsync<ClientRequest>(context).ConfigureAwait(false);
                _server.RegisterClient(Required(request.ClientId, "clientId"), Required(request.PublicKey, "publicKey"), request.KeyVersion ?? 1);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            case "/wallet/payment-codes" when post:
            {
                var request = await ReadAsync<IssueCodeRequest>(context).ConfigureAwait(false);
                var outcome = PaymentCodeOutcome.From(request.Outcome ?? PaymentCodeOutcomeKind.Success, request.DeclineCode);
                string code = wallet.IssuePaymentCode(outcome, request.Format ?? PaymentCodeFormat.Mainstream24,
                    request.LifetimeSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : null);
                await WriteAsync(context, StatusCodes.Status201Created, new { code }).ConfigureAwait(false);
                return;
            }

            case "/wallet/payment-codes/confirm" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                await WriteResultAsync(context, wallet.ConfirmPaymentCode(Required(request.Code, "code"))).ConfigureAwait(false);
                return;
            }

            case "/wallet/payment-codes/decline" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                await WriteResultAsync(context, wallet.DeclinePaymentCode(Required(request.Code, "code"),
                    request.ResultCode ?? ResultCodes.UserBalanceNotEnough)).ConfigureAwait(false);
                return;
            }

            case "/wallet/order-codes/pay" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                string codeValue = Required(request.CodeValue, "codeValue");
                await WriteResultAsync(context, wallet.PayOrderCode(codeValue), wallet.CustomerRedirectUrl(codeValue)).ConfigureAwait(false);
                return;
            }

            case "/wallet/order-codes/decline" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                string codeValue = Required(request.CodeValue, "codeValue");
                await WriteResultAsync(context, wallet.DeclineOrderCode(codeValue, request.ResultCode ?? ResultCodes.UserBalanceNotEnough),
                    wallet.CustomerRedirectUrl(codeValue)).ConfigureAwait(false);
                return;
            }

            case "/wallet/order-codes/abandon" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                await WriteResultAsync(context, wallet.AbandonOrderCode(Required(request.CodeValue, "codeValue"))).ConfigureAwait(false);
                return;
            }

            case "/wallet/refunds/settle" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                await WriteResultAsync(context, wallet.SettleRefund(Required(request.RefundId, "refundId"), request.Success ?? true,
                    request.ResultCode ?? ResultCodes.ProcessFail)).ConfigureAwait(false);
                return;
            }

            case "/wallet/defer-refunds" when post:
            {
                var request = await ReadAsync<WalletRequest>(context).ConfigureAwait(false);
                wallet.DeferRefunds = request.Enabled ?? throw new ArgumentException("enabled is required");
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }

            case "/faults" when post:
            {
                var request = await ReadAsync<FaultDto>(context).ConfigureAwait(false);
                long id = _server.Faults.Add(request.ToRule());
                await WriteAsync(context, StatusCodes.Status201Created, new { id }).ConfigureAwait(false);
                return;
            }

            case "/faults" when get:
                await WriteAsync(context, 200, _server.Faults.Rules().Select(FaultDto.From).ToList()).ConfigureAwait(false);
                return;
            case "/faults" when delete:
                _server.Faults.Clear();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case "/faults/history" when get:
                await WriteAsync(context, 200, _server.Faults.History()).ConfigureAwait(false);
                return;
            case "/records/payments" when get:
                await WriteAsync(context, 200, _server.Records.Payments()).ConfigureAwait(false);
                return;
            case "/records/refunds" when get:
                await WriteAsync(context, 200, _server.Records.Refunds()).ConfigureAwait(false);
                return;
            case "/reports/transaction-details" when get:
            {
                // ?clientId=...&date=yyyy-MM-dd[&timeZone=IANA id]: the report Antom would put on SFTP for that day.
                var query = context.Request.Query;
                string clientId = Required(query["clientId"].FirstOrDefault(), "clientId");
                if (!DateOnly.TryParseExact(query["date"].FirstOrDefault(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.None, out var day))
                    throw new ArgumentException("date: yyyy-MM-dd");
                var zone = TimeZoneInfo.FindSystemTimeZoneById(query["timeZone"].FirstOrDefault() ?? "UTC");
                context.Response.ContentType = "text/csv; charset=utf-8";
                context.Response.Headers.ContentDisposition = "attachment; filename=" + TransactionDetailsReport.FileName(day);
                await context.Response.WriteAsync(TransactionDetailsReport.Build(_server.Records, clientId, day, zone)).ConfigureAwait(false);
                return;
            }
            case "/records/notifications" when get:
                await WriteAsync(context, 200, _server.Records.Notifications()).ConfigureAwait(false);
                return;
            case "/clock" when get:
                await WriteClockAsync(context).ConfigureAwait(false);
                return;
            case "/clock/advance" when post:
            {
                var request = await ReadAsync<AdvanceRequest>(context).ConfigureAwait(false);
                _server.Clock.Advance(TimeSpan.FromSeconds(request.Seconds ?? throw new ArgumentException("seconds is required")));
                await WriteClockAsync(context).ConfigureAwait(false);
                return;
            }
        }

        if (delete && route.StartsWith("/faults/", StringComparison.Ordinal) &&
            long.TryParse(route.AsSpan("/faults/".Length), out long ruleId))
        {
            context.Response.StatusCode = _server.Faults.Remove(ruleId) ? StatusCodes.Status204NoContent : StatusCodes.Status404NotFound;
            return;
        }

        await WriteAsync(context, StatusCodes.Status404NotFound, new { error = $"no control route {method} {Prefix}{route}" }).ConfigureAwait(false);
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"{name} is required") : value;

    private Task WriteClockAsync(HttpContext context) =>
        WriteAsync(context, 200, new { now = _server.Clock.GetUtcNow(), offsetSeconds = _server.Clock.Offset.TotalSeconds });

    private static Task WriteResultAsync(HttpContext context, WalletResult result, string? redirectUrl = null)
    {
        int status = result switch
        {
            WalletResult.Completed => StatusCodes.Status200OK,
            WalletResult.UnknownCode => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status409Conflict,
        };
        return redirectUrl == null ? WriteAsync(context, status, new { result }) : WriteAsync(context, status, new { result, redirectUrl });
    }

    private static async Task<T> ReadAsync<T>(HttpContext context)
    {
        return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted).ConfigureAwait(false)
            ?? throw new ArgumentException("a JSON object is required");
    }

    private static async Task WriteAsync<T>(HttpContext context, int status, T value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, Json, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record ClientRequest(string? ClientId, string? PublicKey, int? KeyVersion);

    private sealed record IssueCodeRequest(PaymentCodeOutcomeKind? Outcome, string? DeclineCode, PaymentCodeFormat? Format, double? LifetimeSeconds);

    private sealed record WalletRequest(string? Code, string? CodeValue, string? ResultCode, string? RefundId, bool? Success, bool? Enabled);

    private sealed record AdvanceRequest(double? Seconds);

    /// <summary>A fault rule on the wire: durations in milliseconds.</summary>
    private sealed record FaultDto(
        long? Id,
        FaultKind? Kind,
        string? ClientId,
        AntomApi? Api,
        int? Count,
        double? Probability,
        double? DelayMs,
        int? HttpStatus,
        bool? AfterProcessing,
        double? ResponseTimeSkewMs,
        int? Remaining)
    {
        public static FaultDto From(ActiveFault active) => new(
            active.Id, active.Rule.Kind, active.Rule.ClientId, active.Rule.Api, active.Rule.Count, active.Rule.Probability,
            active.Rule.Delay.TotalMilliseconds, active.Rule.HttpStatus, active.Rule.AfterProcessing,
            active.Rule.ResponseTimeSkew.TotalMilliseconds, active.Remaining);

        public FaultRule ToRule()
        {
            var rule = Kind switch
            {
                null => throw new ArgumentException("kind is required"),
                FaultKind.ConnectionReset => FaultRule.ConnectionReset(),
                FaultKind kind => new FaultRule { Kind = kind },
            };
            return rule with
            {
                ClientId = ClientId,
                Api = Api,
                Count = Count,
                Probability = Probability ?? 1.0,
                Delay = TimeSpan.FromMilliseconds(DelayMs ?? 0),
                HttpStatus = HttpStatus ?? 500,
                AfterProcessing = AfterProcessing ?? rule.AfterProcessing,
                ResponseTimeSkew = TimeSpan.FromMilliseconds(ResponseTimeSkewMs ?? 0),
            };
        }
    }
}
