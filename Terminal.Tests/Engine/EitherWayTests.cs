using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>
/// A sale paid either way (order code shown, payment code accepted): whichever comes first wins and the customer is
/// never charged twice, with the race played out deterministically at each point where it can happen: the code
/// during the order's creation, while the QR is shown, in the same instant as the QR is paid, between the inquiry
/// and the close, when the close is refused or never confirmed, and with the power cut at every byte of every write.
/// </summary>
public sealed class EitherWayTests
{
    private const string Code = EngineRig.ScannedCode;

    [Fact]
    public void A_code_while_the_qr_is_shown_closes_the_order_and_is_charged_under_the_same_reference()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                Assert.True(rig.Engine.OfferPaymentCode(Code));
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-1");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SalePaymentCode, r.Kind);
        Assert.Equal("EW-1", r.Reference);
        Assert.Equal(1250, r.AmountMinor);
        Assert.Equal("ALIPAYCN", r.WalletName);
        Assert.Equal(new[] { "pay", "inquiryPayment", "cancel", "pay" }, rig.Server.Calls.Select(c => c.Api));
        Assert.Equal(Code, rig.Server.Calls[^1].Code);
        AssertOneChargeStands(rig, "EW-1", expectCharged: true);
        Assert.Single(rig.Events.Results);

        TransactionRecord order = Records(rig).Single(x => x.Kind == TransactionKind.SaleOrderCode);
        Assert.Equal(FinalStatus.Cancelled, order.Status);
        Assert.Equal(EngineCodes.ClosedForCode, order.ResultCode.ToString());
        Assert.Equal(1, rig.Engine.Journal.Totals.SaleCount);
        Assert.Equal(1250, rig.Engine.Journal.Totals.SaleMinor);
        rig.AssertPaysConsistent();
    }

    [Fact]
    public void A_code_while_the_order_is_being_created_closes_it_without_showing_it()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Server.BeforeAnswer = c =>
        {
            if (c.Api == "pay" && c.Code == null)
            {
                Assert.True(rig.Engine.OfferPaymentCode(Code));
            }
        };

        PaymentResult r = rig.EitherWay(800, "EW-2");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SalePaymentCode, r.Kind);
        Assert.DoesNotContain("qr", rig.Events.Events);
        Assert.Equal(new[] { "pay", "cancel", "pay" }, rig.Server.Calls.Select(c => c.Api));
        AssertOneChargeStands(rig, "EW-2", expectCharged: true);
    }

    [Fact]
    public void A_code_before_the_order_reaches_the_server_is_charged_without_any_order()
    {
        var rig = new EngineRig();
        bool first = true;
        rig.Server.Faults = c =>
        {
            if (c.Api == "pay" && c.Code == null && first)
            {
                // The order's pay never reaches the server; the customer's code comes meanwhile.
                first = false;
                Assert.True(rig.Engine.OfferPaymentCode(Code));
                return Fault.ConnectFailed;
            }

            return Fault.None;
        };

        PaymentResult r = rig.EitherWay(300, "EW-3");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SalePaymentCode, r.Kind);
        Assert.Equal(new[] { "pay" }, rig.Server.Calls.Select(c => c.Api));
        Assert.Equal(Code, rig.Server.Calls[0].Code);
        Assert.Equal(EngineCodes.NotSent, Records(rig).Single(x => x.Kind == TransactionKind.SaleOrderCode).ResultCode.ToString());
    }

    [Fact]
    public void The_qr_paid_in_the_same_instant_as_the_code_wins_and_the_code_is_not_charged()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                // Same millisecond: the customer's wallet pays the QR and the cashier scans the code.
                rig.Server.Payments.Values.Single().Status = "SUCCESS";
                Assert.True(rig.Engine.OfferPaymentCode(Code));
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-4");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SaleOrderCode, r.Kind);
        Assert.Equal(new[] { "pay", "inquiryPayment" }, rig.Server.Calls.Select(c => c.Api));
        AssertOneChargeStands(rig, "EW-4", expectCharged: true);
        Assert.Single(rig.Server.Payments);
        Assert.Single(rig.Events.Results);
    }

    [Fact]
    public void The_qr_paid_between_the_inquiry_and_the_close_is_reversed_by_the_close_and_the_code_charged()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Engine.OfferPaymentCode(Code);
            }
        };
        rig.Server.BeforeAnswer = c =>
        {
            if (c.Api == "cancel")
            {
                // The wallet completes the QR payment just before the close arrives: Antom's cancel returns the money.
                rig.Server.Payments[c.PaymentRequestId!].Status = "SUCCESS";
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-5");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SalePaymentCode, r.Kind);
        AssertOneChargeStands(rig, "EW-5", expectCharged: true);
    }

    [Fact]
    public void A_close_refused_because_the_qr_was_just_paid_keeps_that_payment_and_refuses_the_code()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Engine.OfferPaymentCode(Code);
            }
        };
        rig.Server.BeforeAnswer = c =>
        {
            if (c.Api == "cancel")
            {
                rig.Server.Payments[c.PaymentRequestId!].Status = "SUCCESS";
                rig.Server.CancelRefusal = "ORDER_STATUS_INVALID";
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-6");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(TransactionKind.SaleOrderCode, r.Kind);
        Assert.DoesNotContain(rig.Server.Calls, c => c.Code != null);
        AssertOneChargeStands(rig, "EW-6", expectCharged: true);
    }

    [Fact]
    public void A_close_that_never_confirms_ends_for_review_and_the_code_is_never_sent()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CancelNeverAnswers = true;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Engine.OfferPaymentCode(Code);
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-7");

        Assert.Equal(FinalStatus.NeedsReview, r.Status);
        Assert.Equal(TransactionKind.SaleOrderCode, r.Kind);
        Assert.DoesNotContain(rig.Server.Calls, c => c.Code != null);
        Assert.Single(rig.Events.Results);
        Assert.Equal(1, rig.Engine.Journal.Totals.ReviewCount);
    }

    [Fact]
    public void An_abort_and_a_code_at_once_cancel_the_sale_and_charge_nothing()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Engine.RequestAbort();
                rig.Engine.OfferPaymentCode(Code);
            }
        };

        PaymentResult r = rig.EitherWay(1250, "EW-8");

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Aborted, r.ResultCode);
        Assert.DoesNotContain(rig.Server.Calls, c => c.Code != null);
        AssertOneChargeStands(rig, "EW-8", expectCharged: false);
    }

    [Fact]
    public void A_code_is_taken_only_by_a_running_sale_that_accepts_one_and_only_once()
    {
        var rig = new EngineRig();
        Assert.False(rig.Engine.OfferPaymentCode(Code));

        rig.Server.PollsUntilPaid = 2;
        bool offered = true;
        rig.Events.OnEvent = e => offered &= e != "waiting" || !rig.Engine.OfferPaymentCode(Code);
        Assert.Equal(FinalStatus.Success, rig.Mpm(500, "PLAIN-1").Status);
        Assert.True(offered, "a plain order-code sale took a payment code");

        int taken = 0;
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                taken += rig.Engine.OfferPaymentCode(Code) ? 1 : 0;
                taken += rig.Engine.OfferPaymentCode("281010897274821897274899") ? 1 : 0;
            }
        };
        rig.EitherWay(500, "EW-9");
        Assert.Equal(1, taken);
        Assert.False(rig.Engine.OfferPaymentCode(Code));
        Assert.Single(rig.Server.Calls, c => c.Code != null);
    }

    [Theory]
    [InlineData(TearMode.Truncate)]
    [InlineData(TearMode.Overwrite)]
    internal void A_power_cut_at_any_byte_of_the_switch_never_leaves_two_charges(TearMode tear)
    {
        EngineRig dry = Switching();
        int before = dry.Storage.WriteSizes.Count;
        dry.EitherWay(1250, "EW-P");
        int[] sizes = dry.Storage.WriteSizes.Skip(before).ToArray();
        Assert.Equal(7, sizes.Length); // order pay pending, order created, close pending, order closed, code pay pending, code paid, reported

        long offset = 0;
        int runs = 0;
        foreach (int size in sizes)
        {
            for (int k = offset == 0 ? 0 : 1; k <= size; k += 3)
            {
                EngineRig rig = Switching();
                rig.Storage.Tear = tear;
                rig.Storage.CutAfterBytes = offset + k;
                rig.Storage.OnPowerCut = () => rig.Server.Powered = false;
                rig.Sleeper.IsDead = () => rig.Storage.Dead;
                rig.EitherWay(1250, "EW-P");
                Assert.True(rig.Storage.Dead);

                rig.Storage.Reboot();
                rig.Server.Powered = true;
                rig.Sleeper.IsDead = null;
                rig.Events.OnEvent = null;
                rig.Boot();
                rig.Engine.RecoverAll();

                string at = $" (cut after {offset + k} bytes)";
                Assert.True(rig.Engine.Journal.FindUnfinished() == null, "unfinished" + at);
                AssertOneChargeStands(rig, "EW-P", expectCharged: null, at);
                rig.AssertPaysConsistent();
                runs++;
            }

            offset += size;
        }

        Assert.True(runs > 50);
    }

    /// <summary>An either-way rig whose customer offers the code as soon as the QR is shown (never paying the QR).</summary>
    private static EngineRig Switching()
    {
        var rig = new EngineRig(c => c.Engine.CpmBudgetMs = 8_000);
        rig.Server.PollsUntilPaid = -1;
        rig.Server.OrderLifetimeMs = 8_000;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Engine.OfferPaymentCode(Code);
            }
        };
        return rig;
    }

    private static List<TransactionRecord> Records(EngineRig rig) =>
        Enumerable.Range(0, rig.Engine.Journal.Count).Select(rig.Engine.Journal.Get).ToList();

    /// <summary>
    /// At most one payment of the reference stands paid at the provider (a cancelled one was reversed), the journal
    /// agrees with the provider on each of them, and the totals count what the journal says was paid.
    /// </summary>
    private static void AssertOneChargeStands(EngineRig rig, string reference, bool? expectCharged, string at = "")
    {
        List<TransactionRecord> sales = Records(rig).Where(r => r.IsSale && r.Reference.ToString() == reference).ToList();
        int standing = rig.Server.Payments.Values.Count(p => p.Status == "SUCCESS");
        Assert.True(standing <= 1, "two charges stand" + at);
        if (expectCharged != null)
        {
            Assert.Equal(expectCharged.Value ? 1 : 0, standing);
        }

        foreach (TransactionRecord sale in sales)
        {
            string provider = rig.Server.Payments.TryGetValue(sale.RequestId.ToString(), out FakePayment? p) ? p.Status : "NONE";
            bool agrees = sale.Status switch
            {
                FinalStatus.Success => provider == "SUCCESS",
                FinalStatus.Cancelled => provider is "CANCELLED" or "NONE",
                FinalStatus.Failed => provider is "FAIL" or "NONE",
                _ => false,
            };
            Assert.True(agrees, $"journal says {sale.Status} for {sale.Kind}, provider {provider}{at}");
        }

        Assert.Equal(sales.Count(s => s.Status == FinalStatus.Success), rig.Engine.Journal.Totals.SaleCount);
        Assert.Equal(standing, sales.Count(s => s.Status == FinalStatus.Success));
    }
}
