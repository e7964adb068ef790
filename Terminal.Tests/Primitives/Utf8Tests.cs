using System.Buffers;
using System.Text;
using CsCheck;
using Terminal.Core.Text;
using Xunit;

namespace Terminal.Tests.Primitives;

public class Utf8Tests
{
    /// <summary>Any UTF-16 text, lone surrogates included.</summary>
    private static readonly Gen<string> AnyText = Gen.Frequency(
            (4, Gen.Char[' ', '~']),
            (2, Gen.Char['\u0080', '\u07ff']),
            (2, Gen.Char['\u0800', '\uffff']),
            (1, Gen.Char['\ud800', '\udfff']))
        .Array[0, 30]
        .Select(chars => new string(chars));

    /// <summary>Bytes biased towards UTF-8 lead and continuation bytes so that both valid and invalid sequences are common.</summary>
    private static readonly Gen<byte[]> Utf8ish = Gen.Frequency(
            (3, Gen.Byte[0x20, 0x7f]),
            (4, Gen.Byte[0x80, 0xbf]),
            (3, Gen.Byte[0xc0, 0xff]))
        .Array[0, 30];

    [Fact]
    public void Encode_equals_Encoding_UTF8_including_lone_surrogates()
    {
        AnyText.Sample(text =>
        {
            byte[] expected = Encoding.UTF8.GetBytes(text);
            Assert.Equal(expected.Length, Utf8.GetByteCount(text));
            var buffer = new byte[expected.Length + 3];
            int n = Utf8.Encode(text, buffer, 3);
            Assert.Equal(expected, buffer.AsSpan(3, n).ToArray());
        }, iter: 5000);
    }

    [Fact]
    public void Decode_equals_Encoding_UTF8_replacement_on_random_bytes()
    {
        Utf8ish.Sample(bytes =>
        {
            Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8.Decode(bytes, 0, bytes.Length));
        }, iter: 10000);
    }

    [Fact]
    public void IsValid_and_strict_position_equal_System_Text_Unicode()
    {
        Utf8ish.Sample(bytes =>
        {
            var chars = new char[bytes.Length * 2];
            OperationStatus status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out int bytesRead, out _, replaceInvalidSequences: false);
            bool valid = status == OperationStatus.Done;
            Assert.Equal(valid, Utf8.IsValid(bytes, 0, bytes.Length));
            if (valid)
            {
                Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8.DecodeStrict(bytes, 0, bytes.Length));
            }
            else
            {
                var e = Assert.Throws<Utf8Exception>(() => Utf8.DecodeStrict(bytes, 0, bytes.Length));
                Assert.Equal(bytesRead, e.BytePosition);
                Assert.Equal(bytesRead, Utf8.FindInvalid(bytes, 0, bytes.Length));
            }
        }, iter: 10000);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x80 })]             // overlong NUL
    [InlineData(new byte[] { 0xC1, 0xBF })]             // overlong
    [InlineData(new byte[] { 0xE0, 0x9F, 0xBF })]       // overlong three-byte
    [InlineData(new byte[] { 0xF0, 0x8F, 0xBF, 0xBF })] // overlong four-byte
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // U+D800
    [InlineData(new byte[] { 0xED, 0xBF, 0xBF })]       // U+DFFF
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // U+110000
    [InlineData(new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]             // truncated
    public void Overlongs_surrogates_and_out_of_range_are_invalid(byte[] bytes)
    {
        Assert.False(Utf8.IsValid(bytes, 0, bytes.Length));
        Assert.Equal(0, Assert.Throws<Utf8Exception>(() => Utf8.DecodeStrict(bytes, 0, bytes.Length)).BytePosition);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Utf8.Decode(bytes, 0, bytes.Length));
    }

    [Fact]
    public void Strict_error_names_position_relative_to_offset()
    {
        byte[] bytes = { 0x41, 0x41, 0x61, 0xE2, 0x28, 0xA1 };
        var e = Assert.Throws<Utf8Exception>(() => Utf8.DecodeStrict(bytes, 2, 4));
        Assert.Equal(1, e.BytePosition);
        Assert.Equal("invalid UTF-8 sequence at byte 1, found 0xE2", e.Message);
    }

    [Fact]
    public void Encode_into_a_too_small_buffer_throws_and_writes_nothing()
    {
        var buffer = new byte[3];
        var e = Assert.Throws<ArgumentException>(() => Utf8.Encode("a€", buffer, 0));
        Assert.Contains("needs 4 bytes", e.Message);
        Assert.Equal(new byte[3], buffer);
    }

    [Fact]
    public void AsciiNumber_write_equals_ToString()
    {
        Gen.Long.Sample(value =>
        {
            var buffer = new byte[AsciiNumber.MaxLength + 1];
            int n = AsciiNumber.Write(value, buffer, 1);
            Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer, 1, n));
            Assert.Equal(n, AsciiNumber.GetLength(value));
            Assert.True(AsciiNumber.TryParse(buffer, 1, n, out long back));
            Assert.Equal(value, back);
        }, iter: 5000);
        Assert.Throws<ArgumentException>(() => AsciiNumber.Write(long.MinValue, new byte[19], 0));
    }

    [Fact]
    public void AsciiNumber_parse_is_strict()
    {
        var text = Gen.String[Gen.Char["0123456789-+ .x"], 0, 22];
        text.Sample(s =>
        {
            byte[] bytes = Encoding.ASCII.GetBytes(s);
            bool expectedShape = System.Text.RegularExpressions.Regex.IsMatch(s, "^-?[0-9]+$");
            bool expected = expectedShape && long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long reference);
            Assert.Equal(expected, AsciiNumber.TryParse(bytes, 0, bytes.Length, out long value));
            if (expected)
            {
                Assert.Equal(long.Parse(s, System.Globalization.CultureInfo.InvariantCulture), value);
            }
        }, iter: 5000);

        foreach (string s in new[] { "9223372036854775808", "-9223372036854775809", "99999999999999999999", "-", "", "+1", " 1", "1 " })
        {
            byte[] bytes = Encoding.ASCII.GetBytes(s);
            Assert.False(AsciiNumber.TryParse(bytes, 0, bytes.Length, out _), s);
        }
    }
}
