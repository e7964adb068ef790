using System.Text.Json.Nodes;
using Terminal.Gateway.Configuration;
using Terminal.Tests.Gateway.Support;

namespace Terminal.Tests.CustomerPage;

/// <summary>An order code as the terminal got it from the gateway.</summary>
internal sealed record OrderCode(string PaymentRequestId, string CodeValue, string PaymentId);

/// <summary>
/// The gateway (HTTPS; SQLite, or PostgreSQL when asked) and the Antom emulator on loopback with one registered device that sends order-code pays,
/// refunds and cancels as a terminal does. The gateway runs on a clock the test moves (link expiry); the emulator on its own.
/// </summary>
internal sealed class CustomerPageRig : IAsyncDisposable
{
    private CustomerPageRig(EndToEndRig rig, ManualClock clock, TestDevice device)
    {
        Rig = rig;
        Clock = clock;
        Device = device;
    }

    public EndToEndRig Rig { get; }
    public ManualClock Clock { get; }
    public TestDevice Device { get; }

    public static async Task<CustomerPageRig> StartAsync(Action<GatewayOptions>? configure = null, string provider = "sqlite")
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var rig = await EndToEndRig.StartAsync(provider, o =>
        {
            o.Clock = clock;
            o.Merchant.StoreName = "Harbour Tea House";
            o.CustomerPage.TimeZone = "Asia/Singapore";
            configure?.Invoke(o);
        });
        var credentials = await rig.RegisterAsync();
        return new CustomerPageRig(rig, clock, new TestDevice(rig.Http, rig.Gateway.BaseUri, credentials.DeviceId, credentials.KeyBytes, credentials.KeyVersion));
    }

    /// <summary>Sends an order-code pay through the gateway, as the terminal does, and returns the code it shows.</summary>
    public async Task<OrderCode> OrderAsync(string paymentRequestId, long amount = 1250)
    {
        var reply = await Device.PostAsync(Bodies.Pay, Bodies.OrderCode(paymentRequestId, amount));
        if (reply.ResultStatus != "S") throw new InvalidOperationException("order-code pay failed: " + reply.Body);
        string code = (string)reply.Json!["orderCodeForm"]!["codeDetails"]![0]!["codeValue"]!;
        return new OrderCode(paymentRequestId, code, reply["paymentId"]!);
    }

    /// <summary>The paymentRedirectUrl the emulator received for the order (what the wallet would open).</summary>
    public string LinkOf(OrderCode order) =>
        Rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, order.PaymentRequestId)?.RedirectUrl
        ?? throw new InvalidOperationException("the pay reached Antom without paymentRedirectUrl");

    public async Task RefundAsync(OrderCode order, long amount, string refundRequestId)
    {
        var reply = await Device.PostAsync(Bodies.Refund, Bodies.RefundBody(refundRequestId, order.PaymentId, amount));
        if (reply.ResultStatus != "S") throw new InvalidOperationException("refund failed: " + reply.Body);
    }

    public async Task CancelAsync(OrderCode order)
    {
        var reply = await Device.PostAsync(Bodies.Cancel, Bodies.CancelBody(order.PaymentRequestId));
        if (reply.ResultStatus != "S") throw new InvalidOperationException("cancel failed: " + reply.Body);
    }

    /// <summary>Waits until the gateway's record of the payment has <paramref name="status"/> (a notification arrived).</summary>
    public async Task WaitForStatusAsync(OrderCode order, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Rig.Gateway.Store.FindPaymentAsync(order.PaymentRequestId, null))?.Status != status)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"payment {order.PaymentRequestId} did not become {status}");
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync() => Rig.DisposeAsync();
}
