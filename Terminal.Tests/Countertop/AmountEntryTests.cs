using Terminal.Countertop.Entry;
using Xunit;

namespace Terminal.Tests.Countertop;

/// <summary>Amounts typed in minor units, by the currency's ISO 4217 exponent, never past the maximum.</summary>
public sealed class AmountEntryTests
{
    [Theory]
    [InlineData("USD", "1250", 1250, "12.50")]
    [InlineData("JPY", "1250", 1250, "1250")]
    [InlineData("KWD", "1250", 1250, "1.250")]
    [InlineData("USD", "5", 5, "0.05")]
    [InlineData("USD", "0005", 5, "0.05")]
    [InlineData("USD", "", 0, "0.00")]
    public void Digits_fill_from_the_right_in_the_currencys_minor_units(string currency, string digits, long minor, string text)
    {
        var entry = new AmountEntry(currency, 1_000_000);
        foreach (char d in digits)
        {
            Assert.True(entry.Type(d - '0'));
        }

        Assert.Equal((minor, text), (entry.Minor, entry.Text()));
    }

    [Fact]
    public void A_digit_past_the_maximum_is_refused_and_changes_nothing()
    {
        var entry = new AmountEntry("USD", 99_999);
        foreach (char d in "99999")
        {
            Assert.True(entry.Type(d - '0'));
        }

        Assert.False(entry.Type(0));
        Assert.Equal(99_999, entry.Minor);

        var max = new AmountEntry("USD", long.MaxValue);
        for (int i = 0; i < 30; i++)
        {
            max.Type(9);
        }

        Assert.True(max.Minor > 0 && max.Minor <= long.MaxValue);
        Assert.Equal(18, max.Minor.ToString().Length);
    }

    [Fact]
    public void Back_erases_the_last_digit_and_reset_starts_from_an_amount()
    {
        var entry = new AmountEntry("USD", 100_000);
        entry.Type(4);
        entry.Type(2);
        Assert.True(entry.Erase());
        Assert.Equal(4, entry.Minor);
        Assert.True(entry.Erase());
        Assert.False(entry.Erase());
        entry.Reset(250_000);
        Assert.Equal(100_000, entry.Minor);
    }
}
