using CsCheck;
using Terminal.Core.Text;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>
/// Property tests over random provider behaviour, faults and cashier aborts: the invariants hold for every run.
/// <list type="number">
/// <item>No SUCCESS without a verified answer saying so (and the provider agrees).</item>
/// <item>A pay is only ever repeated with the same id, amount and code.</item>
/// <item>At most one paymentRequestId per sale (reference), unless the previous one ended failed or closed.</item>
/// </list>
/// </summary>
public sealed class InvariantPropertyTests
{
    internal sealed record Sale(bool OrderCode, string Reference, int AbortAfterSleeps);

    internal sealed record Scenario(
        Fault[] Faults,
        CpmBehaviour Cpm,
        int PollsUntilPaid,
        bool CancelNeverAnswers,
        bool CancelRefused,
        Sale[] Sales);

    private static readonly Gen<Fault> FaultGen = Gen.Frequency(
        (5, Gen.Const(Fault.None)),
        (3, Gen.Enum<Fault>()),
        (1, Gen.Const(Fault.ForgedSuccess)));

    private static readonly Gen<Sale> SaleGen = Gen.Select(
        Gen.Bool,
        Gen.OneOfConst("A", "B"),
        Gen.Frequency((3, Gen.Const(-1)), (1, Gen.Int[0, 40])),
        (o, r, a) => new Sale(o, r, a));

    private static readonly Gen<Scenario> ScenarioGen = Gen.Select(
        FaultGen.Array[40],
        Gen.Enum<CpmBehaviour>(),
        Gen.Int[-1, 5],
        Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))),
        Gen.Frequency((4, Gen.Const(false)), (1, Gen.Const(true))),
        SaleGen.Array[1, 4],
        (f, c, p, n, r, s) => new Scenario(f, c, p, n, r, s));

    [Fact]
    public void Invariants_hold_under_random_faults()
    {
        ScenarioGen.Sample(Run, iter: 300);
    }

    private static void Run(Scenario s)
    {
        var rig = new EngineRig(c => c.Engine.CpmBudgetMs = 20_000);
        rig.Server.Cpm = s.Cpm;
        rig.Server.PollsUntilPaid = s.PollsUntilPaid;
        rig.Server.OrderLifetimeMs = 20_000;
        rig.Server.CancelNeverAnswers = s.CancelNeverAnswers;
        rig.Server.CancelRefusal = s.CancelRefused ? "ORDER_STATUS_INVALID" : null;
        int calls = 0;
        rig.Server.Faults = _ => s.Faults[calls++ % s.Faults.Length];

        var history = new List<(string Reference, PaymentResult Result)>();
        foreach (Sale sale in s.Sales)
        {
            int sleeps = 0;
            rig.Sleeper.OnSleep = _ =>
            {
                if (sleeps++ == sale.AbortAfterSleeps)
                {
                    rig.Engine.RequestAbort();
                }
            };
            PaymentResult r = sale.OrderCode ? rig.Mpm(100, sale.Reference) : rig.Cpm(100, sale.Reference);
            rig.Sleeper.OnSleep = null;

            if (r.Status == FinalStatus.Success)
            {
                Assert.Contains(r.RequestId, rig.Server.VerifiedSuccess);
                Assert.Equal("SUCCESS", rig.Server.Payments[r.RequestId].Status);
            }

            history.Add((sale.Reference, r));
        }

        rig.AssertPaysConsistent();

        // A new paymentRequestId for a reference only after the previous attempt ended failed or closed.
        foreach (string reference in new[] { "A", "B" })
        {
            var sentIds = new List<string>();
            foreach (Call pay in rig.Server.CallsTo("pay"))
            {
                string id = pay.PaymentRequestId!;
                if ((string?)pay.Body["order"]?["referenceOrderId"] == reference && !sentIds.Contains(id))
                {
                    sentIds.Add(id);
                }
            }

            for (int i = 1; i < sentIds.Count; i++)
            {
                // The journal's status: an unresolved attempt may have been resolved by a later inquiry.
                var id = new TextField(64);
                id.SetAscii(sentIds[i - 1]);
                TransactionRecord previous = rig.Engine.Journal.FindSaleByRequestId(id)!;
                Assert.True(
                    previous.Status is FinalStatus.Failed or FinalStatus.Cancelled,
                    "new id after " + previous.Status);
                Assert.NotEqual("SUCCESS", rig.Server.Payments.GetValueOrDefault(sentIds[i - 1])?.Status);
            }
        }
    }
}
