using System.Security.Cryptography;
using CsCheck;
using Terminal.Core.Crypto;
using Xunit;

namespace Terminal.Tests.Primitives;

public class CryptoTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>RFC 4231 section 4: key, data, HMAC-SHA-256 (case 5 is truncated to 128 bits).</summary>
    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", new string('d', 100),
          "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)),
          "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "546573742057697468205472756e636174696f6e",
          "a3b6167473100ee06e0c796c2955552b" },
        { string.Concat(Enumerable.Repeat("aa", 131)),
          "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { string.Concat(Enumerable.Repeat("aa", 131)),
          "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void Hmac_matches_RFC_4231(string key, string data, string mac)
    {
        byte[] expected = Hex(mac);
        byte[] input = Hex(data);
        var hmac = new HmacSha256(Hex(key));
        var output = new byte[32];
        hmac.Update(input, 0, input.Length);
        hmac.Final(output, 0);
        Assert.Equal(expected, output.AsSpan(0, expected.Length).ToArray());

        // Final resets: the same message again gives the same MAC.
        hmac.Update(input, 0, input.Length);
        hmac.Final(output, 0);
        Assert.Equal(expected, output.AsSpan(0, expected.Length).ToArray());
    }

    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Sha256_matches_FIPS_180_examples(string message, string digest)
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes(message);
        var sha = new Sha256();
        var output = new byte[32];
        sha.Update(data, 0, data.Length);
        sha.Final(output, 0);
        Assert.Equal(Hex(digest), output);
    }

    /// <summary>A message, and the points where it is cut into Update calls.</summary>
    private static readonly Gen<(byte[] Data, int[] Cuts)> ChunkedMessage =
        Gen.Byte.Array[0, 300].SelectMany(data => Gen.Int[0, data.Length].Array[0, 4].Select(cuts => (data, cuts.Order().ToArray())));

    private static void Feed(Action<byte[], int, int> update, byte[] data, int[] cuts)
    {
        int start = 0;
        foreach (int cut in cuts.Append(data.Length))
        {
            update(data, start, cut - start);
            start = cut;
        }
    }

    [Fact]
    public void Sha256_equals_dotnet_for_random_messages_fed_in_pieces()
    {
        ChunkedMessage.Sample(m =>
        {
            var sha = new Sha256(); // Sample runs on several threads
            var output = new byte[33];
            Feed(sha.Update, m.Data, m.Cuts);
            sha.Final(output, 1);
            Assert.Equal(SHA256.HashData(m.Data), output.AsSpan(1).ToArray());
        }, iter: 3000);
    }

    [Fact]
    public void Hmac_equals_dotnet_for_random_keys_and_messages()
    {
        Gen.Select(Gen.Byte.Array[0, 150], ChunkedMessage).Sample((key, m) =>
        {
            var hmac = new HmacSha256(new byte[1]);
            var padded = new byte[key.Length + 2];
            key.CopyTo(padded, 1);
            hmac.SetKey(padded, 1, key.Length);
            Feed(hmac.Update, m.Data, m.Cuts);
            var output = new byte[32];
            hmac.Final(output, 0);
            Assert.Equal(HMACSHA256.HashData(key, m.Data), output);
        }, iter: 2000);
    }

    [Fact]
    public void Reset_discards_a_partial_message()
    {
        byte[] key = { 1, 2, 3 };
        byte[] data = { 4, 5, 6 };
        var hmac = new HmacSha256(key);
        hmac.Update(new byte[100], 0, 100);
        hmac.Reset();
        hmac.Update(data, 0, data.Length);
        var output = new byte[32];
        hmac.Final(output, 0);
        Assert.Equal(HMACSHA256.HashData(key, data), output);
    }

    [Fact]
    public void Hmac_and_sha256_allocate_nothing_after_construction()
    {
        var hmac = new HmacSha256(new byte[32]);
        var sha = new Sha256();
        var data = new byte[700];
        var output = new byte[32];
        hmac.Update(data, 0, data.Length);
        hmac.Final(output, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            hmac.Reset();
            hmac.Update(data, 0, data.Length);
            hmac.Final(output, 0);
            sha.Update(data, 0, 3);
            sha.Update(data, 3, data.Length - 3);
            sha.Final(output, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void FixedTime_Equals_compares_ranges()
    {
        byte[] a = { 1, 2, 3, 4 };
        byte[] b = { 9, 2, 3, 4, 9 };
        Assert.True(FixedTime.Equals(a, 1, b, 1, 3));
        Assert.False(FixedTime.Equals(a, 0, b, 0, 4));
        Assert.False(FixedTime.Equals(a, 1, b, 2, 3));
        Assert.True(FixedTime.Equals(a, 0, b, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedTime.Equals(a, 1, b, 0, 4));
    }
}
