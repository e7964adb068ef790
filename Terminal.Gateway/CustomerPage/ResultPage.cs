using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// The result page's HTML: one small server-rendered document, no script, no external asset, its only style inline
/// and allowed by hash in the Content-Security-Policy. Mobile first (readable from 320 px wide up), status as a heading in
/// words with a symbol beside it, colours with at least 4.5:1 contrast. An open payment reloads itself with a meta refresh.
/// </summary>
public static class ResultPage
{
    private const string Style =
        "*{box-sizing:border-box}" +
        "body{margin:0;background:#f6f8fa;color:#1f2328;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"PingFang SC\",\"Microsoft YaHei\",sans-serif}" +
        "main{max-width:30rem;margin:0 auto;padding:1rem}" +
        ".card{background:#fff;border:1px solid #d0d7de;border-radius:12px;padding:1.25rem 1rem}" +
        ".store{margin:0 0 .75rem;color:#57606a;font-size:.95rem;overflow-wrap:anywhere}" +
        ".status{display:flex;align-items:center;gap:.6rem;margin:0 0 .5rem;padding:.6rem .75rem;border-radius:8px}" +
        ".status h1{margin:0;font-size:1.5rem;line-height:1.2}" +
        ".sign{font-size:1.5rem;line-height:1;font-weight:700}" +
        ".good{background:#dafbe1;color:#0a4d1c}.bad{background:#ffebe9;color:#82071e}" +
        ".wait{background:#fff8c5;color:#5c3d00}.info{background:#ddf4ff;color:#0a3069}" +
        ".lead{margin:.5rem 0 1rem}" +
        "h2{font-size:1rem;margin:1rem 0 .25rem}" +
        "dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem}" +
        "dt{color:#57606a}dd{margin:0;text-align:right;overflow-wrap:anywhere;font-variant-numeric:tabular-nums}" +
        ".note{color:#57606a;font-size:.9rem;margin:1rem 0 0}" +
        "a{color:#0550ae}" +
        ".help{color:#57606a;font-size:.9rem;margin:1rem .25rem}";

    /// <summary>The Content-Security-Policy: nothing may load, run or frame the page; only the inline style above applies.</summary>
    public static readonly string ContentSecurityPolicy =
        "default-src 'none'; style-src 'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style))) + "'; img-src data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(PaymentView view, PageText text, TimeZoneInfo zone, int? refreshSeconds)
    {
        var (title, lead, tone, sign) = Describe(view, text);
        var body = new StringBuilder();
        if (view.StoreName != null) body.Append("<p class=\"store\">").Append(Html(view.StoreName)).Append("</p>");
        body.Append("<div class=\"status ").Append(tone).Append("\"><span class=\"sign\" aria-hidden=\"true\">").Append(sign)
            .Append("</span><h1>").Append(Html(title)).Append("</h1></div>");
        body.Append("<p class=\"lead\">").Append(Html(lead)).Append("</p>");
        body.Append("<h2>").Append(Html(text.Details)).Append("</h2><dl>");
        if (view.StoreName != null) Row(body, text.Store, view.StoreName);
        Row(body, text.Amount, PageFormat.Money(view.Currency, view.AmountMinor));
        if (view.RefundedMinor > 0) Row(body, text.RefundedAmount, PageFormat.Money(view.Currency, view.RefundedMinor));
        Row(body, text.Time, PageFormat.Time(view.Time, zone, text));
        if (view.PaymentIdEnd != null) Row(body, text.Reference, "…" + view.PaymentIdEnd);
        body.Append("</dl>");
        if (refreshSeconds is int seconds)
        {
            body.Append("<p class=\"note\">").Append(Html(string.Format(CultureInfo.InvariantCulture, text.RefreshNote, seconds)))
                .Append(" <a href=\"\">").Append(Html(text.RefreshNow)).Append("</a></p>");
        }
        return Document(text, title, refreshSeconds, body.ToString(), text.Help);
    }

    /// <summary>The page for a token that finds nothing: the same bytes for an unknown, a malformed and an expired token.</summary>
    public static string Invalid(PageText text) => Message(text, text.Invalid, text.InvalidLead);

    public static string TooManyRequests(PageText text) => Message(text, text.TooMany, text.TooManyLead);

    private static string Message(PageText text, string title, string lead) =>
        Document(text, title, null, "<div class=\"status info\"><h1>" + Html(title) + "</h1></div><p class=\"lead\">" + Html(lead) + "</p>", null);

    private static string Document(PageText text, string title, int? refreshSeconds, string card, string? help)
    {
        var page = new StringBuilder(2048);
        page.Append("<!DOCTYPE html><html lang=\"").Append(text.HtmlLang).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\"><meta name=\"robots\" content=\"noindex\">");
        if (refreshSeconds is int seconds) page.Append("<meta http-equiv=\"refresh\" content=\"").Append(seconds.ToString(CultureInfo.InvariantCulture)).Append("\">");
        page.Append("<title>").Append(Html(title)).Append(" · ").Append(Html(text.Title)).Append("</title>")
            .Append("<link rel=\"icon\" href=\"data:,\"><style>").Append(Style).Append("</style></head><body><main><div class=\"card\">")
            .Append(card).Append("</div>");
        if (help != null) page.Append("<p class=\"help\">").Append(Html(help)).Append("</p>");
        page.Append("</main></body></html>");
        return page.ToString();
    }

    private static (string Title, string Lead, string Tone, string Sign) Describe(PaymentView view, PageText t) => view.State switch
    {
        PageState.Paid => (t.Paid, t.PaidLead, "good", "✓"),
        PageState.Processing => (t.Processing, t.ProcessingLead, "wait", "…"),
        PageState.NotPaid => (t.NotPaid, t.NotPaidLead, "bad", "✕"),
        PageState.Expired => (t.NotPaid, t.ExpiredLead, "bad", "✕"),
        PageState.Cancelled => (t.Cancelled, t.CancelledLead, "info", "↺"),
        PageState.Reversed => (t.Reversed, t.ReversedLead, "info", "↺"),
        PageState.RefundPending => (t.RefundPending, t.RefundPendingLead, "wait", "↺"),
        PageState.PartlyRefunded => (t.PartlyRefunded, t.PartlyRefundedLead, "info", "↺"),
        PageState.Refunded => (t.Refunded, t.RefundedLead, "info", "↺"),
        _ => throw new ArgumentOutOfRangeException(nameof(view), view.State, "no text for this state"),
    };

    private static void Row(StringBuilder body, string label, string value) =>
        body.Append("<dt>").Append(Html(label)).Append("</dt><dd>").Append(Html(value)).Append("</dd>");

    /// <summary>Escapes markup; Chinese and other text stays as UTF-8 characters.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Html(string s) => Encoder.Encode(s);
}
