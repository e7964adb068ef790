using Terminal.Drivers.Display;
using Terminal.Firmware.Screens;

namespace Terminal.Tests.Display;

/// <summary>Named example screens, rendered by the tests and into docs/display.md.</summary>
internal static class ScreenGallery
{
    public static readonly (string Name, Action<ScreenPainter> Draw)[] Scenes =
    {
        ("idle", s => s.ShowIdle("Cafe Central", true, true)),
        ("idle-offline", s => s.ShowIdle("Cafe Central", false, true)),
        ("amount-entry", s => s.ShowAmountEntry("12.50", "EUR")),
        ("amount-confirm", s => s.ShowAmountConfirm("1,234.50", "EUR")),
        ("qr-version-2", s => s.ShowQr(TestMatrix.QrLike(25, 7), "12.50", 299)),
        ("qr-version-4", s => s.ShowQr(TestMatrix.QrLike(33, 8), "1,234.50", 59)),
        ("qr-unavailable", s => s.ShowQrUnavailable("12.50", null)),
        ("scan-customer", s => s.ShowScanCustomer("12.50")),
        ("processing", s => s.ShowProcessing("Waiting for the customer to confirm")),
        ("result-paid", s => s.ShowResult(ResultKind.Success, "12.50", null)),
        ("result-declined", s => s.ShowResult(ResultKind.Declined, "12.50", "Insufficient balance in the customer's wallet")),
        ("result-unknown", s => s.ShowResult(ResultKind.NeedsReview, "12.50", null)),
        ("refund-progress", s => s.ShowRefundProgress("5.00")),
        ("refund-result", s => s.ShowRefundResult(ResultKind.Success, "5.00", null)),
        ("error", s => s.ShowError("No network connection for 60 seconds.", "Check the Wi-Fi router, then press OK.")),
        ("diagnostics", s => s.ShowDiagnostics("Self-test", new[]
        {
            "PASS display font glyphs", "PASS display init bytes", "PASS qr version 1-M",
            "FAIL json escapes: bytes differ", "PASS journal crc", "PASS hmac known answer", "PASS config defaults",
        })),
    };

    public static Framebuffer Render(Action<ScreenPainter> draw)
    {
        var fb = new Framebuffer();
        draw(new ScreenPainter(fb));
        return fb;
    }
}
