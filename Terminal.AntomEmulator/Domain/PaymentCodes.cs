using System.Text;

namespace Terminal.AntomEmulator;

/// <summary>
/// Which customer codes the emulator accepts (docs/antom-protocol.md section 5): digits only, and either the 24-digit
/// mainstream format (business type "02" at digits 7-8) or 16-24 digits starting with 25-30 (the terminal rule of
/// the Alipay+ standard output, which covers the legacy 28-prefixed 17/18/19-digit codes and CGCP codes).
/// </summary>
internal static class PaymentCodes
{
    public const string MainstreamIssuer = "251001";

    public static bool IsWellFormed(string code)
    {
        if (code.Length < 16 || code.Length > 24 || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (code.Length == 24 && code[6] == '0' && code[7] == '2')
        {
            return true;
        }

        int prefix = (code[0] - '0') * 10 + (code[1] - '0');
        return prefix >= 25 && prefix <= 30;
    }

    public static string Generate(PaymentCodeFormat format, Random random) => format switch
    {
        PaymentCodeFormat.Mainstream24 => MainstreamIssuer + "02" + Digits(random, 16),
        PaymentCodeFormat.Legacy17 => "28" + Digits(random, 15),
        PaymentCodeFormat.Legacy18 => "28" + Digits(random, 16),
        PaymentCodeFormat.Legacy19 => "289" + Digits(random, 10) + "6" + Digits(random, 5),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static string Digits(Random random, int count)
    {
        var text = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            text.Append((char)('0' + random.Next(10)));
        }

        return text.ToString();
    }
}
