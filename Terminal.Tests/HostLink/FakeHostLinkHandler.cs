using Terminal.Firmware.HostLink;

namespace Terminal.Tests.HostLink;

/// <summary>An app stand-in that records every call and answers as told.</summary>
internal sealed class FakeHostLinkHandler : IHostLinkHandler
{
    public List<string> Calls { get; } = new();

    /// <summary>Calls that would change state (sale, abort, refund, void).</summary>
    public int StateChangingCalls => Calls.Count(c => c.StartsWith("StartSale") || c.StartsWith("Abort") || c.StartsWith("Refund") || c.StartsWith("Void"));

    public HostLinkAnswer SaleAnswer { get; set; } = HostLinkAnswer.Accepted;
    public HostLinkAnswer AbortAnswer { get; set; } = HostLinkAnswer.Accepted;
    public HostLinkAnswer RefundAnswer { get; set; } = HostLinkAnswer.Accepted;
    public HostLinkAnswer VoidAnswer { get; set; } = HostLinkAnswer.Accepted;
    public string? Detail { get; set; }
    public string StatusText { get; set; } = "IDLE";
    public HostLinkResult? LastResult { get; set; }
    public string[] DiagnosticLines { get; set; } = { "firmware 1.0.0", "scanner Scanner ready" };
    public bool IsBusy { get; set; }
    public Exception? Throw { get; set; }

    /// <summary>Runs inside StartSale, e.g. to send events or a result synchronously.</summary>
    public Action? DuringSale { get; set; }

    public HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
    {
        Record($"StartSale {amountMinor} {currency} {mode} {reference}");
        DuringSale?.Invoke();
        detail = Detail!;
        return SaleAnswer;
    }

    public HostLinkAnswer Abort(out string detail)
    {
        Record("Abort");
        detail = Detail!;
        return AbortAnswer;
    }

    public HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
    {
        Record($"Refund {reference ?? "null"} {paymentId ?? "null"} {amountMinor}");
        detail = Detail!;
        return RefundAnswer;
    }

    public HostLinkAnswer Void(string reference, string paymentId, out string detail)
    {
        Record($"Void {reference ?? "null"} {paymentId ?? "null"}");
        detail = Detail!;
        return VoidAnswer;
    }

    public string Status()
    {
        Record("Status");
        return StatusText;
    }

    public HostLinkResult Last()
    {
        Record("Last");
        return LastResult!;
    }

    public string[] Diagnostics()
    {
        Record("Diagnostics");
        return DiagnosticLines;
    }

    /// <summary>The real self-test, as the app runs it.</summary>
    public void SelfTest(HostLinkInfoWriter info, out int passed, out int failed)
    {
        Record("SelfTest");
        Terminal.Firmware.Diagnostics.SelfTest.RunForHostLink(info, out passed, out failed);
    }

    private void Record(string call)
    {
        Calls.Add(call);
        if (Throw != null)
        {
            throw Throw;
        }
    }
}
