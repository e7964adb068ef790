using Terminal.Firmware.HostLink;
using Xunit;

namespace Terminal.Tests.HostLink;

public class HostLinkWireFormatTests
{
    [Theory]
    [InlineData("123456789", 0xF4)] // CRC-8/SMBUS check value
    [InlineData("1 PING", 0xF7)]
    [InlineData("12 SALE 1250 USD CPM A-1001", 0xF6)]
    [InlineData("", 0x00)]
    public void Checksum_known_answers(string text, int crc)
    {
        Assert.Equal(crc, HostLinkChecksum.Compute(text));
        byte[] bytes = Wire.Bytes(text);
        Assert.Equal(crc, HostLinkChecksum.Compute(bytes, 0, bytes.Length));
        Assert.Equal(crc, Wire.Crc8(text));
    }

    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('A', 10)]
    [InlineData('f', 15)]
    [InlineData('G', -1)]
    [InlineData(' ', -1)]
    public void Hex_digits_in_either_case(char c, int value) => Assert.Equal(value, HostLinkChecksum.HexValue((byte)c));

    [Fact]
    public void Assembler_ends_lines_at_lf_and_drops_the_cr()
    {
        var assembler = new LineAssembler();
        var lines = FeedLines(assembler, "1 PING*F7\r\n2 STATUS*00\n\r\n\n");
        Assert.Equal(new[] { "1 PING*F7", "2 STATUS*00" }, lines);
    }

    [Fact]
    public void Assembler_keeps_a_cr_that_is_not_before_the_lf()
    {
        var assembler = new LineAssembler();
        Assert.Equal(new[] { "A\rB" }, FeedLines(assembler, "A\rB\n"));
    }

    [Fact]
    public void Assembler_accepts_256_bytes_with_crlf_and_refuses_257()
    {
        var assembler = new LineAssembler();
        string fits = new string('x', 254);
        Assert.Equal(new[] { fits }, FeedLines(assembler, fits + "\r\n"));

        string tooLong = new string('x', 255);
        var results = Wire.Bytes(tooLong + "\r\n" + "ok\r\n").Select(assembler.Feed).Where(r => r != LineResult.None).ToList();
        Assert.Equal(new[] { LineResult.TooLong, LineResult.Line }, results);
        Assert.Equal(2, assembler.Length);
    }

    [Fact]
    public void Assembler_drops_a_very_long_line_up_to_its_lf_only_once()
    {
        var assembler = new LineAssembler();
        var results = Wire.Bytes(new string('z', 5000) + "\n").Select(assembler.Feed).Where(r => r != LineResult.None).ToList();
        Assert.Equal(new[] { LineResult.TooLong }, results);
    }

    [Fact]
    public void Writer_formats_fields_checksum_and_crlf()
    {
        var writer = new HostLinkLineWriter();
        writer.BeginReply(42).Word("OK").Word("SALE").Text("A-1001");
        int n = writer.Finish();
        Assert.Equal(Wire.Line("42 OK SALE A-1001"), Text(writer, n));
    }

    [Fact]
    public void Writer_cleans_tokens_so_values_cannot_break_the_framing()
    {
        var writer = new HostLinkLineWriter();
        writer.BeginEvent(1).Word("a b*c\r\n").Word(null!).Word("").Number(-5).Text("x*y\tz");
        int n = writer.Finish();
        Assert.Equal(Wire.Line("!1 a_b_c__ - - 0 x?y?z"), Text(writer, n));
    }

    [Fact]
    public void Writer_cuts_long_text_to_fit_one_line()
    {
        var writer = new HostLinkLineWriter();
        writer.BeginReply(1).Word("INFO").Text(new string('m', 1000));
        int n = writer.Finish();
        Assert.Equal(HostLinkProtocol.MaxLineLength, n);
        Assert.Single(Wire.Bodies(writer.Buffer[..n]));
    }

    [Fact]
    public void Writer_numbers_are_plain_decimal()
    {
        var writer = new HostLinkLineWriter();
        writer.BeginReply(999999999).Number(0).Number(long.MaxValue);
        int n = writer.Finish();
        Assert.Equal(Wire.Line("999999999 0 9223372036854775807"), Text(writer, n));
    }

    private static string Text(HostLinkLineWriter writer, int n) => new(writer.Buffer.Take(n).Select(b => (char)b).ToArray());

    private static List<string> FeedLines(LineAssembler assembler, string text)
    {
        var lines = new List<string>();
        foreach (byte b in Wire.Bytes(text))
        {
            if (assembler.Feed(b) == LineResult.Line)
            {
                lines.Add(new string(assembler.Buffer.Take(assembler.Length).Select(x => (char)x).ToArray()));
            }
        }

        return lines;
    }
}
