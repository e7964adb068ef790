using System.Text;
using CsCheck;
using Terminal.Core.Encoding;
using Xunit;

namespace Terminal.Tests.Primitives;

public class EncodingTests
{
    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Base64_round_trips_and_equals_Convert()
    {
        Gen.Byte.Array[0, 100].Sample(data =>
        {
            string expected = Convert.ToBase64String(data);
            Assert.Equal(expected.Length, Base64.GetEncodedLength(data.Length));
            var text = new byte[expected.Length + 2];
            int n = Base64.Encode(data, 0, data.Length, text, 2);
            Assert.Equal(expected, Encoding.ASCII.GetString(text, 2, n));

            var back = new byte[data.Length + 1];
            int m = Base64.Decode(text, 2, n, back, 1);
            Assert.Equal(data, back.AsSpan(1, m).ToArray());
        }, iter: 3000);
    }

    [Fact]
    public void Base64_decode_rejects_what_Convert_rejects()
    {
        Gen.String[Gen.Char["ABCXYZabxyz0189+/= \n-_"], 0, 14].Sample(s =>
        {
            bool convertAccepts;
            byte[]? reference = null;
            try
            {
                reference = Convert.FromBase64String(s);
                convertAccepts = !s.Contains(' ') && !s.Contains('\n');
            }
            catch (FormatException)
            {
                convertAccepts = false;
            }

            byte[] text = Ascii(s);
            var dst = new byte[s.Length];
            int n = Base64.Decode(text, 0, text.Length, dst, 0);
            if (!convertAccepts)
            {
                Assert.Equal(-1, n);
            }
            else if (n >= 0)
            {
                Assert.Equal(reference, dst.AsSpan(0, n).ToArray());
            }
            else
            {
                // Convert accepts non-zero unused bits in the last group; we require the canonical encoding.
                Assert.NotEqual(s, Convert.ToBase64String(reference!));
            }
        }, iter: 10000);
    }

    [Theory]
    [InlineData("Zg=")]
    [InlineData("Zg")]
    [InlineData("Z===")]
    [InlineData("Zm9=vYmFy")]
    [InlineData("Zh==")]
    [InlineData("Zm9vYmF=")]
    [InlineData("Zm9v YmFy")]
    [InlineData("Zm9v\nYmFy")]
    [InlineData("Zm9v-_Fy")]
    [InlineData("=Zm9")]
    public void Base64_decode_is_strict(string text)
    {
        byte[] bytes = Ascii(text);
        Assert.Equal(-1, Base64.Decode(bytes, 0, bytes.Length, new byte[16], 0));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "Zg==")]
    [InlineData("fo", "Zm8=")]
    [InlineData("foo", "Zm9v")]
    [InlineData("foob", "Zm9vYg==")]
    [InlineData("fooba", "Zm9vYmE=")]
    [InlineData("foobar", "Zm9vYmFy")]
    public void Base64_matches_RFC_4648_vectors(string data, string text)
    {
        var dst = new byte[16];
        int n = Base64.Encode(Ascii(data), 0, data.Length, dst, 0);
        Assert.Equal(text, Encoding.ASCII.GetString(dst, 0, n));
        Assert.Equal(data.Length, Base64.Decode(Ascii(text), 0, text.Length, dst, 0));
    }

    [Fact]
    public void Signature_url_encoding_equals_Uri_EscapeDataString()
    {
        Gen.Byte.Array[0, 60].Sample(data =>
        {
            string base64 = Convert.ToBase64String(data);
            string expected = Uri.EscapeDataString(base64);
            byte[] text = Ascii(base64);
            var dst = new byte[text.Length * 3];
            int n = SignatureUrlEncoding.Encode(text, 0, text.Length, dst, 0);
            Assert.Equal(expected, Encoding.ASCII.GetString(dst, 0, n));

            byte[] lower = Ascii(expected.Replace("%2B", "%2b").Replace("%2F", "%2f").Replace("%3D", "%3d"));
            var back = new byte[lower.Length];
            int m = SignatureUrlEncoding.Decode(lower, 0, lower.Length, back, 0);
            Assert.Equal(base64, Encoding.ASCII.GetString(back, 0, m));
        }, iter: 2000);
    }

    [Fact]
    public void Signature_url_encoding_of_any_ascii_equals_Uri_EscapeDataString()
    {
        Gen.String[Gen.Char['\0', '\x7f'], 0, 30].Sample(s =>
        {
            byte[] text = Ascii(s);
            var dst = new byte[text.Length * 3];
            int n = SignatureUrlEncoding.Encode(text, 0, text.Length, dst, 0);
            Assert.Equal(Uri.EscapeDataString(s), Encoding.ASCII.GetString(dst, 0, n));
            var back = new byte[n];
            Assert.Equal(text.Length, SignatureUrlEncoding.Decode(dst, 0, n, back, 0));
            Assert.Equal(text, back.AsSpan(0, text.Length).ToArray());
        }, iter: 2000);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%2")]
    [InlineData("%G0")]
    [InlineData("%2g")]
    [InlineData("a+b")]
    [InlineData("a/b")]
    [InlineData("a=b")]
    [InlineData("a b")]
    public void Signature_url_decoding_rejects_malformed_text(string text)
    {
        byte[] bytes = Ascii(text);
        Assert.Equal(-1, SignatureUrlEncoding.Decode(bytes, 0, bytes.Length, new byte[8], 0));
    }
}
