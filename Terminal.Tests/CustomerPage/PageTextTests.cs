using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.Storage;
using Xunit;

namespace Terminal.Tests.CustomerPage;

/// <summary>Language choice, figures and the state rules of the result page.</summary>
public sealed class PageTextTests
{
    [Theory]
    [InlineData(null, "en")]
    [InlineData("", "en")]
    [InlineData("fr-FR,fr;q=0.9", "en")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans")]
    [InlineData("en-GB,en;q=0.9,zh-CN;q=0.8", "en")]
    [InlineData("fr,zh-TW;q=0.7,en;q=0.5", "zh-Hans")]
    [InlineData("de,en;q=0.3,zh;q=0.4", "zh-Hans")]
    [InlineData("zh;q=0,en", "en")]
    [InlineData("zh-Hans-SG;q=banana,en;q=0.1", "en")]
    public void The_language_follows_the_browsers_preferences(string? header, string lang) =>
        Assert.Equal(lang, PageText.For(header).HtmlLang);

    [Theory]
    [InlineData("USD", 1250, "USD 12.50")]
    [InlineData("USD", 123456789, "USD 1,234,567.89")]
    [InlineData("USD", 5, "USD 0.05")]
    [InlineData("JPY", 1500, "JPY 1,500")]
    [InlineData("KWD", 308, "KWD 0.308")]
    public void Amounts_use_the_currencys_minor_unit(string currency, long minor, string text) =>
        Assert.Equal(text, PageFormat.Money(currency, minor));

    [Fact]
    public void Times_are_shown_in_the_stores_zone_with_its_offset()
    {
        var utc = new DateTimeOffset(2026, 3, 12, 6, 5, 0, TimeSpan.Zero);
        var zone = PageFormat.FindZone("Asia/Singapore")!;
        Assert.Equal("12 Mar 2026, 14:05 (UTC+08:00)", PageFormat.Time(utc, zone, PageText.English));
        Assert.Equal("2026年3月12日 14:05 (UTC+08:00)", PageFormat.Time(utc, zone, PageText.SimplifiedChinese));
        Assert.Null(PageFormat.FindZone("Mars/Olympus_Mons"));
    }

    [Theory]
    [InlineData("PENDING", null, false, PageState.Processing)]
    [InlineData("PROCESSING", null, false, PageState.Processing)]
    [InlineData("SUCCESS", null, true, PageState.Paid)]
    [InlineData("FAIL", "USER_BALANCE_NOT_ENOUGH", false, PageState.NotPaid)]
    [InlineData("FAIL", "ORDER_IS_CLOSED", false, PageState.Expired)]
    [InlineData("CANCELLED", null, false, PageState.Cancelled)]
    [InlineData("CANCELLED", null, true, PageState.Reversed)]
    [InlineData("SOMETHING_NEW", null, false, PageState.Processing)]
    public void The_state_comes_from_the_record(string status, string? code, bool successNotified, PageState state) =>
        Assert.Equal(state, PaymentView.From(Payment(status), [], successNotified, code, "Shop").State);

    [Fact]
    public void Refunds_count_only_when_they_succeeded()
    {
        var paid = Payment("SUCCESS");
        Assert.Equal(PageState.RefundPending, PaymentView.From(paid, [Refund("PROCESSING", 300)], true, null, null).State);
        Assert.Equal(PageState.Paid, PaymentView.From(paid, [Refund("FAIL", 1000)], true, null, null).State);
        var partly = PaymentView.From(paid, [Refund("SUCCESS", 300), Refund("FAIL", 700)], true, null, null);
        Assert.Equal((PageState.PartlyRefunded, 300L), (partly.State, partly.RefundedMinor));
        Assert.Equal(PageState.Refunded, PaymentView.From(paid, [Refund("SUCCESS", 300), Refund("SUCCESS", 700)], true, null, null).State);
    }

    [Fact]
    public void Only_the_end_of_the_payment_id_is_shown()
    {
        Assert.Equal("345678", PaymentView.From(Payment("SUCCESS"), [], true, null, null).PaymentIdEnd);
        Assert.Null(PaymentView.From(Payment("SUCCESS") with { PaymentId = "12345" }, [], true, null, null).PaymentIdEnd);
    }

    [Fact]
    public void Store_names_are_escaped()
    {
        var view = PaymentView.From(Payment("SUCCESS"), [], true, null, "<img src=x onerror=alert(1)> & Co");
        string html = ResultPage.Render(view, PageText.English, TimeZoneInfo.Utc, null);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; Co", html);
        Assert.DoesNotContain("<img", html);
    }

    private static PaymentRecord Payment(string status) =>
        new("PR-1", "T0001", "M001", "S001", "USD", 1000, "20260312114000000000000012345678", status, 1_773_000_000_000, 1_773_000_000_000);

    private static RefundRecord Refund(string status, long amount) =>
        new("RR-" + status + amount, "T0001", "20260312114000000000000012345678", "USD", amount, null, status, 0, 0);
}
