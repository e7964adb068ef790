using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Hosting;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// After a chaos run: what the gateway answers an inquiryPayment of each sale (the answer any terminal would get
/// by asking now, from a recorded notification or from Antom), so the checker can hold it against the emulator's
/// record. A gateway that reported a voided payment as paid fails here.
/// </summary>
public static class GatewayInquiry
{
    /// <summary>
    /// Asks for one sale at most this often: a U says nothing about the payment, and a terminal that gets one inquires
    /// again (docs/architecture.md section 6), so only a U on every ask is reported.
    /// </summary>
    public const int MaxAsks = 4;

    private static readonly TimeSpan PauseBetweenAsks = TimeSpan.FromMilliseconds(200);

    /// <summary>paymentRequestId to the paymentStatus of the gateway's answer ("none", then the result status and code and the gateway's detail, when the answer was not S; of the last ask when every one was U).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> AskAsync(RunningGateway gateway, string deviceId, IReadOnlyList<ChaosSale> sales)
    {
        var operations = gateway.Services.GetRequiredService<DeviceOperations>();
        var device = await gateway.Devices.FindAsync(deviceId) ?? throw new InvalidOperationException($"device {deviceId} is not registered");
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ChaosSale sale in sales)
        {
            if (sale.RequestId == null || answers.ContainsKey(sale.RequestId))
            {
                continue;
            }

            OperationResult result;
            JsonNode? answer;
            int asks = 0;
            do
            {
                if (asks > 0)
                {
                    await Task.Delay(PauseBetweenAsks);
                }

                result = await operations.ExecuteAsync(DeviceOperations.InquiryPayment, device, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["paymentRequestId"] = sale.RequestId }), CancellationToken.None);
                answer = JsonNode.Parse(result.ResponseBody);
            }
            while ((string?)answer?["result"]?["resultStatus"] == "U" && ++asks < MaxAsks);

            answers[sale.RequestId] = (string?)answer?["result"]?["resultStatus"] == "S"
                ? (string?)answer?["paymentStatus"] ?? "none"
                : $"none ({(string?)answer?["result"]?["resultStatus"]} {(string?)answer?["result"]?["resultCode"]}: {result.Detail})";
        }

        return answers;
    }
}
