using CsCheck;
using Terminal.Core.Money;
using Xunit;

namespace Terminal.Tests.Primitives;

public class MoneyTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("VND", 0)]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("CNY", 2)]
    [InlineData("HKD", 2)]
    [InlineData("SGD", 2)]
    [InlineData("THB", 2)]
    [InlineData("MYR", 2)]
    [InlineData("PHP", 2)]
    [InlineData("IDR", 2)]
    [InlineData("GBP", 2)]
    [InlineData("AUD", 2)]
    [InlineData("MOP", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("JOD", 3)]
    [InlineData("OMR", 3)]
    [InlineData("TND", 3)]
    [InlineData("XXX", -1)]
    [InlineData("usd", -1)]
    [InlineData("US", -1)]
    [InlineData(null, -1)]
    public void Exponents_follow_ISO_4217(string? code, int exponent)
    {
        Assert.Equal(exponent, Currency.Exponent(code!));
        Assert.Equal(exponent >= 0, Currency.IsKnown(code!));
    }

    [Theory]
    [InlineData(1250L, "USD", "12.50 USD")]
    [InlineData(1000L, "JPY", "1000 JPY")]
    [InlineData(1250L, "KWD", "1.250 KWD")]
    [InlineData(5L, "USD", "0.05 USD")]
    [InlineData(0L, "USD", "0.00 USD")]
    [InlineData(0L, "JPY", "0 JPY")]
    [InlineData(-1250L, "USD", "-12.50 USD")]
    [InlineData(-5L, "KWD", "-0.005 KWD")]
    [InlineData(long.MaxValue, "USD", "92233720368547758.07 USD")]
    [InlineData(long.MinValue, "USD", "-92233720368547758.08 USD")]
    public void Format_is_culture_free(long minor, string currency, string text)
    {
        Assert.Equal(text, Amount.Format(minor, currency));
    }

    [Fact]
    public void Format_rejects_unknown_currency()
    {
        Assert.Throws<ArgumentException>(() => Amount.Format(1, "XXX"));
    }

    [Theory]
    [InlineData("12.50", "USD", 1250L)]
    [InlineData("12.5", "USD", 1250L)]
    [InlineData("12", "USD", 1200L)]
    [InlineData("0.01", "USD", 1L)]
    [InlineData(" 7 ", "USD", 700L)]
    [InlineData("1000", "JPY", 1000L)]
    [InlineData("1.25", "KWD", 1250L)]
    [InlineData("007", "JPY", 7L)]
    [InlineData("92233720368547758.07", "USD", long.MaxValue)]
    public void Parse_accepts_plain_amounts(string text, string currency, long minor)
    {
        Assert.Equal(minor, Amount.Parse(text, currency));
        Assert.True(Amount.TryParse(text, currency, out long value));
        Assert.Equal(minor, value);
    }

    [Theory]
    [InlineData("1.005", "USD", "USD allows at most 2 decimals")]
    [InlineData("1.5", "JPY", "JPY has no decimals")]
    [InlineData("1.2345", "KWD", "KWD allows at most 3 decimals")]
    [InlineData("", "USD", "enter an amount")]
    [InlineData("   ", "USD", "enter an amount")]
    [InlineData(null, "USD", "enter an amount")]
    [InlineData("-1", "USD", "an amount has no sign")]
    [InlineData("+1", "USD", "an amount has no sign")]
    [InlineData("1,000", "USD", "an amount has no grouping separators or spaces")]
    [InlineData("1 000", "USD", "an amount has no grouping separators or spaces")]
    [InlineData("1.2.3", "USD", "an amount has at most one '.'")]
    [InlineData(".5", "USD", "put a digit before the '.'")]
    [InlineData("5.", "USD", "put digits after the '.'")]
    [InlineData("0", "USD", "the amount must be greater than 0")]
    [InlineData("0.00", "USD", "the amount must be greater than 0")]
    [InlineData("12a", "USD", "an amount may contain only digits and one '.'")]
    [InlineData("1e3", "USD", "an amount may contain only digits and one '.'")]
    [InlineData("92233720368547758.08", "USD", "the amount is too large")]
    [InlineData("9223372036854775808", "JPY", "the amount is too large")]
    [InlineData("100000000000000000", "USD", "the amount is too large")]
    [InlineData("1", "XXX", "unknown currency XXX")]
    public void Parse_rejects_with_a_plain_message(string? text, string currency, string message)
    {
        var e = Assert.Throws<AmountFormatException>(() => Amount.Parse(text!, currency));
        Assert.Equal(message, e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
        Assert.False(Amount.TryParse(text!, currency, out long minor));
        Assert.Equal(0, minor);
    }

    [Fact]
    public void Format_then_parse_round_trips_positive_amounts()
    {
        Gen.Select(Gen.Long[1, long.MaxValue], Gen.OneOfConst("USD", "JPY", "KWD")).Sample((minor, currency) =>
        {
            string text = Amount.Format(minor, currency);
            Assert.EndsWith(" " + currency, text);
            Assert.Equal(minor, Amount.Parse(text[..^4], currency));
        }, iter: 3000);
    }
}
