using Terminal.AntomEmulator;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Register;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// The chaos checker's closing inquiry of a voided sale (issue #22: in one CI run it came back U UNKNOWN_EXCEPTION while
/// the emulator said CANCELLED, because the gateway asked Antom again and got no answer in time). Here every inquiry at
/// the emulator fails instead, so the outcome does not depend on the machine's load.
/// </summary>
public sealed class ChaosGatewayInquiryTests
{
    private const int WaitMs = 20000;

    [Fact]
    public async Task A_voided_sale_is_answered_CANCELLED_while_every_inquiry_at_Antom_fails_and_a_gateway_saying_paid_is_still_a_mismatch()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-void-inquiry-").FullName;
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder,
                Persistent = false,
                DeviceId = "CHAOS001",
                Timings = TerminalTimings.Chaos,
                UpstreamAttemptTimeoutMs = 3000,
                UpstreamTotalTimeoutMs = 6000,
            });
            string? requestId = null;
            session.Terminal.ResultObserver = r => requestId = r.Kind == TransactionKind.SaleOrderCode ? r.RequestId : requestId;
            session.Terminal.Boot();
            Assert.True(session.Terminal.WaitIdle(WaitMs));
            HostLinkClient register = session.Terminal.Register!;

            Assert.True(register.Request("SALE 1250 USD MPM V-1", WaitMs).Ok);
            string qr = register.WaitForEvent(l => l.Name == "SHOW_QR", WaitMs)!.Word(3)!;
            Assert.Equal(WalletResult.Completed, session.Wallet!.PayOrderCode(qr));
            Assert.Equal("SUCCESS", Outcome(register.WaitForEvent(l => l.Name == "RESULT" && l.Word(2) == "SALE", WaitMs)));
            Assert.True(register.Request("VOID REF V-1", WaitMs).Ok);
            Assert.Equal("SUCCESS", Outcome(register.WaitForEvent(l => l.Name == "RESULT" && l.Word(2) == "VOID", WaitMs)));
            Assert.NotNull(requestId);

            session.Backend!.Emulator.Faults.Add(FaultRule.HttpError(503) with { ClientId = EmbeddedBackend.MerchantClientId, Api = AntomApi.InquiryPayment });
            var sale = new ChaosSale(1, "V-1", ChaosScenario.MpmVoidAfterNotification, 1250)
            {
                Terminal = "SUCCESS",
                RequestId = requestId,
                Void = new ChaosFollowUp("VOID", 1250) { Terminal = "SUCCESS", RequestId = requestId },
            };
            var answers = await GatewayInquiry.AskAsync(session.Backend.Gateway, session.Options.DeviceId, [sale]);

            Assert.Equal("CANCELLED", answers[requestId!]);
            Assert.Empty(session.Backend.Emulator.Faults.History());
            EmulatorRecords records = session.Backend.Emulator.Records;
            Assert.Equal("ok", Check(sale, records, answers).Verdict);
            // Negative control: the same checker fails a gateway that reports the voided sale paid.
            Assert.Equal("MISMATCH: the gateway answers an inquiry with SUCCESS, Antom CANCELLED",
                Check(sale, records, new Dictionary<string, string> { [requestId!] = "SUCCESS" }).Verdict);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Outcome(HostLinkLine? result) => result == null ? "none" : HostLinkResultLine.From(result, 2).Outcome;

    private static ChaosRow Check(ChaosSale sale, EmulatorRecords records, IReadOnlyDictionary<string, string> answers) =>
        Assert.Single(ChaosChecker.Check([sale], records, EmbeddedBackend.MerchantClientId, TimeSpan.Zero, new Dictionary<string, int>(), new ChaosOptions { DataFolder = "" }, answers).Rows);
}
