using System.Text;
using CsCheck;
using Terminal.Core.Text;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class PrimitiveUseTests
{
    [Fact]
    public void Iso_time_formats_like_dotnet()
    {
        Gen.Long[0, 253402300799999].Sample(ms =>
        {
            byte[] buffer = new byte[IsoTime.FormattedLength];
            Assert.Equal(IsoTime.FormattedLength, IsoTime.FormatUtc(ms, buffer, 0));
            string expected = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'");
            Assert.Equal(expected, Encoding.ASCII.GetString(buffer));
        }, iter: 2000);
    }

    [Theory]
    [InlineData("2020-06-11T13:35:02+08:00")]
    [InlineData("2020-04-07T11:42:05-07:00")]
    [InlineData("2026-11-25T20:00:54Z")]
    [InlineData("2024-02-29T23:59:59.123Z")]
    [InlineData("2019-05-28T12:12:12.1234567+0530")]
    [InlineData("1969-12-31T23:59:59Z")]
    public void Iso_time_parses_like_dotnet(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.True(IsoTime.TryParse(bytes, 0, bytes.Length, out long ms));
        long expected = DateTimeOffset.Parse(text.Replace("+0530", "+05:30", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("2020-06-11T13:35:02")]
    [InlineData("2020-02-30T13:35:02Z")]
    [InlineData("2020-06-11 13:35:02Z")]
    [InlineData("2020-06-11T24:00:00Z")]
    [InlineData("2020-06-11T13:35:02+8:00")]
    [InlineData("2020-06-11T13:35:02.Z")]
    [InlineData("garbage")]
    public void Iso_time_refuses_anything_else(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.False(IsoTime.TryParse(bytes, 0, bytes.Length, out _));
    }

    [Fact]
    public void Request_ids_are_letters_and_digits_unique_and_carry_the_counter()
    {
        var generator = new RequestIdGenerator(new FakeRandom(3));
        var seen = new HashSet<string>();
        var id = new TextField(64);
        foreach (long n in new long[] { 0, 1, 2, 999999999999 })
        {
            generator.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", n, id);
            string text = id.ToString();
            Assert.Matches("^[A-Za-z0-9]{1,64}$", text);
            Assert.Equal(52, text.Length);
            Assert.Equal(n.ToString("D12"), text.Substring(32, 12));
            Assert.True(RequestIdGenerator.IsValid(id));
            Assert.True(seen.Add(text));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Create("T1", 1_000_000_000_000, id));
    }

    [Fact]
    public void Request_ids_stay_unique_across_reboots()
    {
        var rig = new EngineRig();
        var ids = new HashSet<string>();
        for (int boot = 0; boot < 6; boot++)
        {
            rig.Boot();
            Assert.True(ids.Add(rig.Cpm(100).RequestId));
            Assert.True(ids.Add(rig.Mpm(100).RequestId));
        }
    }
}
