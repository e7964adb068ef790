using Terminal.AntomEmulator;
using Terminal.Simulator.Register;

namespace Terminal.Simulator.Updates;

/// <summary>A sale from the register, paid by the customer's payment code at the scanner, as a rollout's traffic.</summary>
public static class CountertopSale
{
    /// <summary>Runs the sale to its RESULT; returns the outcome word (SUCCESS, FAIL, ...) or "no result".</summary>
    public static string Run(Session session, string reference, long amountMinor, int timeoutMs = 30000)
    {
        HostLinkClient register = session.Terminal.Register ?? throw new InvalidOperationException("the simulator's register is not connected");
        register.ClearEvents();
        HostLinkReply accepted = register.Request($"SALE {amountMinor} USD CPM {reference}", timeoutMs);
        if (!accepted.Ok)
        {
            return "refused: " + accepted.Line.Text;
        }

        if (register.WaitForEvent(l => l.Name == "WAITING_FOR_CUSTOMER", timeoutMs) == null)
        {
            return "no scan prompt";
        }

        session.Terminal.Scanner!.Present(session.Wallet!.IssuePaymentCode(PaymentCodeOutcome.Success));
        HostLinkLine? result = register.WaitForEvent(l => l.Name == "RESULT", timeoutMs);
        return result == null ? "no result" : HostLinkResultLine.From(result, 2).Outcome;
    }
}
