using Xunit;
using Terminal.Drivers.Scanner;
using Terminal.SimulatedDevices.Scanner;

namespace Terminal.Tests.Scanner;

public class Gm65ReplyParserTests
{
    [Fact]
    public void The_ack_is_a_good_reply_with_one_zero_byte()
    {
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.Reply }, FeedAll(parser, Gm65Protocol.Ack));
        Assert.True(parser.IsAck);
        Assert.Equal(0, parser.Status);
        Assert.Equal(1, parser.DataLength);
    }

    [Fact]
    public void A_read_reply_gives_its_data()
    {
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.Reply }, FeedAll(parser, Bytes.Hex("02 00 00 01 3E E4 AC")));
        Assert.False(parser.IsAck);
        Assert.Equal(0x3E, parser.DataAt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => parser.DataAt(1));
    }

    [Fact]
    public void Bytes_before_the_head_are_skipped()
    {
        var parser = new Gm65ReplyParser(8);
        byte[] stream = Bytes.Concat(Bytes.Ascii("2810\r"), Bytes.Hex("FF 7E"), Gm65Protocol.Ack);
        Assert.Contains(Gm65ReplyResult.Reply, FeedAll(parser, stream));
        Assert.True(parser.IsAck);
    }

    [Fact]
    public void A_wrong_crc_is_reported_not_accepted()
    {
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.BadCrc }, FeedAll(parser, Bytes.Hex("02 00 00 01 00 33 32")));
        Assert.True(parser.IsIdle);
    }

    [Fact]
    public void A_reply_longer_than_the_buffer_is_dropped()
    {
        var parser = new Gm65ReplyParser(2);
        Assert.Equal(new[] { Gm65ReplyResult.TooLong }, FeedAll(parser, Bytes.Hex("02 00 00 03")));
        Assert.True(parser.IsIdle);
    }

    [Fact]
    public void Two_followed_by_anything_but_zero_is_not_a_reply()
    {
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.NotAReply }, FeedAll(parser, Bytes.Hex("02 41")));
        // 02 02 00...: the second 02 may start the real reply.
        Assert.Equal(new[] { Gm65ReplyResult.NotAReply, Gm65ReplyResult.Reply },
            FeedAll(parser, Bytes.Concat(new byte[] { 0x02 }, Gm65Protocol.Ack)));
    }

    [Fact]
    public void A_zero_length_reply_parses()
    {
        byte[] body = { 0x00, 0x00 };
        int crc = Gm65Model.Crc16Xmodem(body);
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.Reply },
            FeedAll(parser, new byte[] { 0x02, 0x00, 0x00, 0x00, (byte)(crc >> 8), (byte)crc }));
        Assert.Equal(0, parser.DataLength);
    }

    [Fact]
    public void Reset_drops_a_partial_reply()
    {
        var parser = new Gm65ReplyParser(8);
        FeedAll(parser, Bytes.Hex("02 00 00"));
        Assert.False(parser.IsIdle);
        parser.Reset();
        Assert.True(parser.IsIdle);
        Assert.Equal(new[] { Gm65ReplyResult.Reply }, FeedAll(parser, Gm65Protocol.Ack));
    }

    [Fact]
    public void Two_replies_back_to_back_both_parse()
    {
        var parser = new Gm65ReplyParser(8);
        Assert.Equal(new[] { Gm65ReplyResult.Reply, Gm65ReplyResult.Reply },
            FeedAll(parser, Bytes.Concat(Gm65Protocol.Ack, Bytes.Hex("02 00 00 01 3E E4 AC"))));
        Assert.Equal(0x3E, parser.DataAt(0));
    }

    private static List<Gm65ReplyResult> FeedAll(Gm65ReplyParser parser, byte[] bytes)
    {
        var results = new List<Gm65ReplyResult>();
        foreach (byte b in bytes)
        {
            var r = parser.Feed(b);
            if (r != Gm65ReplyResult.None)
            {
                results.Add(r);
            }
        }

        return results;
    }
}
