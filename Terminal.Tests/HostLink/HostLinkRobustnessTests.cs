using CsCheck;
using Xunit;

namespace Terminal.Tests.HostLink;

/// <summary>Whatever arrives on the wire, the host link never throws and never changes state unless a line is valid.</summary>
public class HostLinkRobustnessTests
{
    [Fact]
    public void Random_bytes_never_crash_or_change_state()
    {
        Gen.Byte.Array[0, 1200].Sample(bytes =>
        {
            var rig = new HostLinkRig();
            rig.Request("1 SALE 100 USD CPM OPEN"); // one sale open: garbage must not close it or open another
            rig.Handler.Calls.Clear();

            var lines = rig.SendRaw(bytes);

            Assert.Equal(0, rig.Handler.StateChangingCalls);
            Assert.True(rig.Server.SaleOpen);
            Assert.All(lines, l => Assert.Matches("^[0-9]+ (ERR|OK|INFO) ", l));
        }, iter: 500);
    }

    [Fact]
    public void Random_printable_lines_with_random_checksums_never_change_state()
    {
        var printable = Gen.Char[' ', '~'].Array[0, 300].Select(chars => new string(chars));
        printable.Select(Gen.Int[0, 255]).Sample((text, checksum) =>
        {
            string body = text.Replace("\r", "").Replace("\n", "");
            if (Wire.Crc8(body) == checksum)
            {
                return;
            }

            var rig = new HostLinkRig();
            var lines = rig.SendRaw(Wire.Bytes($"{body}*{checksum:X2}\r\n"));

            Assert.Empty(rig.Handler.Calls);
            Assert.False(rig.Server.SaleOpen);
            Assert.Single(lines);
            Assert.StartsWith("0 ERR ", lines[0]);
        }, iter: 1000);
    }

    [Fact]
    public void Valid_commands_with_one_corrupted_byte_are_refused()
    {
        string[] bodies = { "1 SALE 1250 USD CPM A-1001", "2 ABORT", "3 REFUND REF A-1001 500", "4 VOID PAYMENT 2024" };
        var gen = Gen.Int[0, bodies.Length - 1].Select(Gen.Int[0, 1000], Gen.Byte[0x20, 0x7E]);
        gen.Sample((which, position, replacement) =>
        {
            string line = Wire.Line(bodies[which]).TrimEnd('\r', '\n');
            int at = position % line.Length;
            bool sameHexDigit = at >= line.Length - 2 && char.ToUpperInvariant((char)replacement) == line[at];
            if (line[at] == (char)replacement || sameHexDigit)
            {
                return; // not a corruption (the checksum's hex digits may come in either case)
            }

            char[] chars = line.ToCharArray();
            chars[at] = (char)replacement;
            var rig = new HostLinkRig();
            var lines = rig.SendRaw(Wire.Bytes(new string(chars) + "\r\n"));

            // CRC-8 catches every single-byte error, so nothing may reach the app.
            Assert.Equal(0, rig.Handler.StateChangingCalls);
            Assert.Single(lines);
            Assert.Contains(" ERR ", lines[0]);
        }, iter: 1000);
    }

    [Fact]
    public void Random_valid_sales_round_trip()
    {
        var gen = Gen.Long[1, 999_999_999_999].Select(Gen.Char['A', 'Z'].Array[3], Gen.Bool,
            Gen.Char["ABCxyz019._-"].Array[1, 64]);
        gen.Sample((amount, currency, cpm, reference) =>
        {
            var rig = new HostLinkRig();
            string cur = new(currency), reff = new(reference);
            var lines = rig.Request($"77 SALE {amount} {cur} {(cpm ? "CPM" : "MPM")} {reff}");
            Assert.Equal(new[] { $"77 OK SALE {reff}" }, lines);
            Assert.Equal(new[] { $"StartSale {amount} {cur} {(cpm ? "Cpm" : "Mpm")} {reff}" }, rig.Handler.Calls);
        }, iter: 300);
    }
}
