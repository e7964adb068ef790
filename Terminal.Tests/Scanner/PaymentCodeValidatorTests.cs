using Terminal.Payments.Cpm;
using Xunit;

namespace Terminal.Tests.Scanner;

public class PaymentCodeValidatorTests
{
    [Theory]
    // Formats of the Alipay+ payment code standard (docs/antom-protocol.md section 5).
    [InlineData("251001020123456789012345", PaymentCodeVerdict.Ok, PaymentCodeFormat.AlipayPlus24)]
    [InlineData("999999020123456789012345", PaymentCodeVerdict.Ok, PaymentCodeFormat.AlipayPlus24)]
    [InlineData("28123456789012345", PaymentCodeVerdict.Ok, PaymentCodeFormat.Legacy28)]
    [InlineData("281234567890123456", PaymentCodeVerdict.Ok, PaymentCodeFormat.Legacy28)]
    [InlineData("2893612204263667830", PaymentCodeVerdict.Ok, PaymentCodeFormat.Legacy28)]
    [InlineData("288888888888888888", PaymentCodeVerdict.Ok, PaymentCodeFormat.Legacy28)]
    [InlineData("281010897274821897274821", PaymentCodeVerdict.Ok, PaymentCodeFormat.Prefix25To30)]
    [InlineData("2500000000000000", PaymentCodeVerdict.Ok, PaymentCodeFormat.Prefix25To30)]
    [InlineData("30000000000000000000000000000000", PaymentCodeVerdict.Ok, PaymentCodeFormat.Prefix25To30)]
    [InlineData("26123456789012345678", PaymentCodeVerdict.Ok, PaymentCodeFormat.Prefix25To30)]
    // Lengths.
    [InlineData("", PaymentCodeVerdict.TooShort, PaymentCodeFormat.None)]
    [InlineData("281234567890123", PaymentCodeVerdict.TooShort, PaymentCodeFormat.None)]
    [InlineData("300000000000000000000000000000000", PaymentCodeVerdict.TooLong, PaymentCodeFormat.None)]
    // Numeric but no known prefix.
    [InlineData("1234567890123456", PaymentCodeVerdict.UnknownPrefix, PaymentCodeFormat.None)]
    [InlineData("2412345678901234567", PaymentCodeVerdict.UnknownPrefix, PaymentCodeFormat.None)]
    [InlineData("3112345678901234567", PaymentCodeVerdict.UnknownPrefix, PaymentCodeFormat.None)]
    [InlineData("999999030123456789012345", PaymentCodeVerdict.UnknownPrefix, PaymentCodeFormat.None)]
    // Links and text scanned by mistake.
    [InlineData("https://qr.alipay.com/bax03206sbqcrf9wq6ab0083", PaymentCodeVerdict.LooksLikeUrl, PaymentCodeFormat.None)]
    [InlineData("HTTP://EXAMPLE.COM", PaymentCodeVerdict.LooksLikeUrl, PaymentCodeFormat.None)]
    [InlineData("weixin://wxpay/bizpayurl?pr=abc", PaymentCodeVerdict.LooksLikeUrl, PaymentCodeFormat.None)]
    [InlineData("www.example.com/menu", PaymentCodeVerdict.LooksLikeUrl, PaymentCodeFormat.None)]
    [InlineData("WIFI:S:shop;T:WPA;P:secret;;", PaymentCodeVerdict.LooksLikeText, PaymentCodeFormat.None)]
    [InlineData("Table 12 - thank you", PaymentCodeVerdict.LooksLikeText, PaymentCodeFormat.None)]
    [InlineData("BEGIN:VCARD", PaymentCodeVerdict.LooksLikeText, PaymentCodeFormat.None)]
    // Damaged numbers.
    [InlineData("2810 1234 5678 9012", PaymentCodeVerdict.NotDigits, PaymentCodeFormat.None)]
    [InlineData("2810-1234-5678-9012", PaymentCodeVerdict.NotDigits, PaymentCodeFormat.None)]
    [InlineData("28101234567890123X", PaymentCodeVerdict.NotDigits, PaymentCodeFormat.None)]
    [InlineData("+-*/", PaymentCodeVerdict.NotDigits, PaymentCodeFormat.None)]
    public void Verdicts(string code, PaymentCodeVerdict verdict, PaymentCodeFormat format)
    {
        var validator = new PaymentCodeValidator();
        Assert.Equal(verdict, validator.Validate(code));
        byte[] bytes = Bytes.Ascii("xx" + code + "yy");
        Assert.Equal(verdict, validator.Validate(bytes, 2, code.Length));
        Assert.Equal(format, validator.FormatOf(bytes, 2, code.Length));
    }

    [Theory]
    [InlineData("1234567890123456")]
    [InlineData("99999999999999999999999999999999")]
    public void Unknown_numeric_codes_in_range_pass_when_allowed(string code)
    {
        var validator = new PaymentCodeValidator { AcceptUnknownNumeric = true };
        Assert.Equal(PaymentCodeVerdict.Ok, validator.Validate(code));
        Assert.Equal(PaymentCodeFormat.UnknownNumeric, validator.FormatOf(Bytes.Ascii(code), 0, code.Length));
    }

    [Theory]
    [InlineData("123456789012345", PaymentCodeVerdict.TooShort)]
    [InlineData("https://example.com", PaymentCodeVerdict.LooksLikeUrl)]
    [InlineData("hello world", PaymentCodeVerdict.LooksLikeText)]
    public void The_option_does_not_let_non_codes_through(string code, PaymentCodeVerdict verdict)
    {
        var validator = new PaymentCodeValidator { AcceptUnknownNumeric = true };
        Assert.Equal(verdict, validator.Validate(code));
    }

    [Fact]
    public void Every_verdict_has_a_screen_message()
    {
        Assert.Equal("This is a web link, not a payment code", PaymentCodeValidator.Message(PaymentCodeVerdict.LooksLikeUrl));
        Assert.Equal("This is text, not a payment code", PaymentCodeValidator.Message(PaymentCodeVerdict.LooksLikeText));
        foreach (PaymentCodeVerdict v in Enum.GetValues<PaymentCodeVerdict>())
        {
            string message = PaymentCodeValidator.Message(v);
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.True(message.Length <= 60, message);
        }
    }

    [Fact]
    public void Null_and_non_ascii_input_are_handled()
    {
        var validator = new PaymentCodeValidator();
        Assert.Equal(PaymentCodeVerdict.TooShort, validator.Validate((string)null!));
        Assert.Equal(PaymentCodeVerdict.NotDigits, validator.Validate("28101234567890123\u00e9"));
        Assert.Throws<ArgumentOutOfRangeException>(() => validator.Validate(new byte[4], 2, 3));
        Assert.Throws<ArgumentNullException>(() => validator.Validate(null!, 0, 0));
    }

    [Fact]
    public void Validating_bytes_allocates_nothing()
    {
        var validator = new PaymentCodeValidator();
        byte[] code = Bytes.Ascii("281012345678901234");
        validator.Validate(code, 0, code.Length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            validator.Validate(code, 0, code.Length);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
