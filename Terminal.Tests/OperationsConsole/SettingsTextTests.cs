using Terminal.Gateway.OperationsConsole.Rendering;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

public sealed class SettingsTextTests
{
    [Fact]
    public void Lines_become_typed_values_and_back()
    {
        var values = SettingsText.Parse("pollIntervalMs = 3000\n displayName = Front counter \nbeep = true\ncode = \"1234\"\n\n", out string? error);
        Assert.Null(error);
        Assert.Equal("""{"pollIntervalMs":3000,"displayName":"Front counter","beep":true,"code":"1234"}""", values!.ToJsonString());
        Assert.Equal("pollIntervalMs = 3000\ndisplayName = Front counter\nbeep = true\ncode = \"1234\"", SettingsText.Format(values));
    }

    [Theory]
    [InlineData("no equals sign", "line 1")]
    [InlineData("a = 1\na = 2", "a is set twice")]
    [InlineData("a = 1\nbad key = 2", "line 2")]
    public void Malformed_lines_are_named(string text, string expected)
    {
        Assert.Null(SettingsText.Parse(text, out string? error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Amounts_typed_in_major_units_follow_the_currency()
    {
        Assert.True(ConsoleFormat.TryParseAmount("12.5", "USD", out long usd));
        Assert.Equal(1250, usd);
        Assert.True(ConsoleFormat.TryParseAmount("1500", "JPY", out long jpy));
        Assert.Equal(1500, jpy);
        Assert.False(ConsoleFormat.TryParseAmount("12.345", "USD", out _));
        Assert.False(ConsoleFormat.TryParseAmount("1.5", "JPY", out _));
        Assert.False(ConsoleFormat.TryParseAmount("-1", "USD", out _));
        Assert.False(ConsoleFormat.TryParseAmount("1e3", "USD", out _));
        Assert.Equal("12.50", ConsoleFormat.Major("USD", 1250));
        // A day's net can be negative (refunds of earlier days' sales): the sign goes before the number, once.
        Assert.Equal(("USD 1,234.50", "USD -1,234.50", "USD -0.05", "JPY -500"),
            (ConsoleFormat.Money("USD", 123450), ConsoleFormat.Money("USD", -123450), ConsoleFormat.Money("USD", -5), ConsoleFormat.Money("JPY", -500)));
    }
}
