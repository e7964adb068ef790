using Xunit;
using CsCheck;
using Terminal.Drivers.Scanner;

namespace Terminal.Tests.Scanner;

public class CodeFramerTests
{
    private const string Code = "281012345678901234";

    private static CodeFramer NewFramer(bool suffixRequired = false, ScannerSettings? settings = null) =>
        new(settings ?? new ScannerSettings()) { SuffixRequired = suffixRequired };

    /// <summary>Feeds bytes at one instant; returns every non-None outcome with the code at that moment.</summary>
    private static List<(ScanOutcome Outcome, string? Code)> Feed(CodeFramer framer, byte[] bytes, long now = 1000)
    {
        var results = new List<(ScanOutcome, string?)>();
        foreach (byte b in bytes)
        {
            var outcome = framer.Feed(b, now);
            if (outcome != ScanOutcome.None)
            {
                results.Add((outcome, outcome == ScanOutcome.Code ? framer.CodeToString() : null));
            }
        }

        return results;
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\t")]
    public void A_tail_ends_a_code(string tail)
    {
        var framer = NewFramer(suffixRequired: true);
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)Code) }, Feed(framer, Bytes.Ascii(Code + tail)));
        Assert.Equal(Code.Length, framer.CodeLength);
    }

    [Fact]
    public void Crlf_gives_one_code_not_a_code_and_an_empty_line()
    {
        var framer = NewFramer();
        var results = Feed(framer, Bytes.Ascii("ABCD1234\r\nWXYZ9876\r\n"));
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)"ABCD1234"), (ScanOutcome.Code, "WXYZ9876") }, results);
    }

    [Fact]
    public void Silence_ends_a_code_without_a_tail()
    {
        var framer = NewFramer();
        Assert.Empty(Feed(framer, Bytes.Ascii(Code), now: 1000));
        Assert.Equal(ScanOutcome.None, framer.Flush(1099));
        Assert.Equal(ScanOutcome.Code, framer.Flush(1100));
        Assert.Equal(Code, framer.CodeToString());
        Assert.Equal(ScanOutcome.None, framer.Flush(5000));
    }

    [Fact]
    public void Silence_then_a_new_byte_ends_the_old_code_first()
    {
        var framer = NewFramer();
        Feed(framer, Bytes.Ascii("FIRSTCODE"), now: 1000);
        Assert.Equal(ScanOutcome.Code, framer.Feed((byte)'S', 1200));
        Assert.Equal("FIRSTCODE", framer.CodeToString());
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)"SECOND") }, Feed(framer, Bytes.Ascii("ECOND\r"), now: 1200));
    }

    [Fact]
    public void When_a_tail_is_expected_silence_means_a_cut_off_code()
    {
        var framer = NewFramer(suffixRequired: true);
        Feed(framer, Bytes.Ascii("2810123456"));
        Assert.Equal(ScanOutcome.Partial, framer.Flush(2000));
        Assert.Equal(0, framer.CodeLength);
    }

    [Fact]
    public void The_ack_before_triggered_data_is_stripped()
    {
        var framer = NewFramer(suffixRequired: true);
        var results = Feed(framer, Bytes.Concat(Gm65Protocol.Ack, Bytes.Ascii(Code + "\r")));
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)Code) }, results);
        Assert.Equal(1, framer.RepliesStripped);
    }

    [Fact]
    public void A_lone_ack_gives_nothing()
    {
        var framer = NewFramer(suffixRequired: true);
        Assert.Empty(Feed(framer, Gm65Protocol.Ack));
        Assert.Equal(ScanOutcome.None, framer.Flush(5000));
        Assert.Equal(1, framer.RepliesStripped);
    }

    [Fact]
    public void A_corrupted_ack_makes_the_read_unusable()
    {
        var framer = NewFramer(suffixRequired: true);
        var results = Feed(framer, Bytes.Concat(Bytes.Hex("02 00 00 01 00 33 30"), Bytes.Ascii(Code + "\r")));
        Assert.Equal(new[] { (ScanOutcome.Binary, (string?)null) }, results);
        Assert.Equal(0, framer.RepliesStripped);
    }

    [Fact]
    public void An_ack_cut_off_by_silence_is_noise()
    {
        var framer = NewFramer(suffixRequired: true);
        Feed(framer, Bytes.Hex("02 00 00"));
        Assert.Equal(ScanOutcome.Noise, framer.Flush(5000));
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)Code) }, Feed(framer, Bytes.Ascii(Code + "\r"), now: 5000));
    }

    [Fact]
    public void A_reply_head_in_the_middle_of_a_code_ends_that_code()
    {
        var framer = NewFramer(suffixRequired: true);
        var results = Feed(framer, Bytes.Concat(Bytes.Ascii("28101234"), Gm65Protocol.Ack, Bytes.Ascii(Code + "\r")));
        Assert.Equal(new[] { (ScanOutcome.Partial, (string?)null), (ScanOutcome.Code, Code) }, results);
    }

    [Theory]
    [InlineData("00")]
    [InlineData("FF FF")]
    [InlineData("41 42 43")]
    [InlineData("0D")]
    public void Fewer_bytes_than_the_minimum_are_noise_or_nothing(string hex)
    {
        var framer = NewFramer();
        var results = Feed(framer, Bytes.Hex(hex));
        var flushed = framer.Flush(10_000);
        var all = results.Select(r => r.Outcome).Append(flushed).Where(o => o != ScanOutcome.None).ToList();
        Assert.True(all.Count == 0 || all.SequenceEqual(new[] { ScanOutcome.Noise }), string.Join(",", all));
        Assert.Equal(0, framer.CodeLength);
    }

    [Theory]
    [InlineData("28101234\u000156789\r")]
    [InlineData("2810\u00e912345678\r")]
    [InlineData("\u0000\u0000\u0000\u0000\u0000\r")]
    public void Non_printable_bytes_reject_the_whole_code(string text)
    {
        var framer = NewFramer();
        Assert.Equal(new[] { (ScanOutcome.Binary, (string?)null) }, Feed(framer, text.Select(c => (byte)c).ToArray()));
        Assert.Equal(0, framer.CodeLength);
    }

    [Fact]
    public void Overlong_input_is_dropped_whole_and_the_next_code_reads()
    {
        var framer = NewFramer(settings: new ScannerSettings { MaxCodeLength = 32 });
        var results = Feed(framer, Bytes.Ascii(new string('7', 33) + "\r" + Code + "\r"));
        Assert.Equal(new[] { (ScanOutcome.Overlong, (string?)null), (ScanOutcome.Code, Code) }, results);
    }

    [Fact]
    public void A_code_exactly_at_the_limit_is_kept()
    {
        var framer = NewFramer(settings: new ScannerSettings { MaxCodeLength = 32 });
        string code = new('7', 32);
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)code) }, Feed(framer, Bytes.Ascii(code + "\r")));
    }

    [Fact]
    public void The_same_code_within_the_window_is_reported_once()
    {
        var framer = NewFramer();
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii(Code + "\r"), now: 1000).Single().Outcome);
        Assert.Equal(ScanOutcome.Duplicate, Feed(framer, Bytes.Ascii(Code + "\r"), now: 2000).Single().Outcome);
        // The window slides: still the same presentation 1.4 s after the last sighting.
        Assert.Equal(ScanOutcome.Duplicate, Feed(framer, Bytes.Ascii(Code + "\r"), now: 3400).Single().Outcome);
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii(Code + "\r"), now: 4900).Single().Outcome);
    }

    [Fact]
    public void A_different_code_is_never_a_duplicate()
    {
        var framer = NewFramer();
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii("CODE-ONE\r")).Single().Outcome);
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii("CODE-TWO\r")).Single().Outcome);
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii("CODE-ONE\r")).Single().Outcome);
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii("CODE-ONE2\r")).Single().Outcome);
    }

    [Fact]
    public void Forgetting_the_last_code_lets_it_count_again()
    {
        var framer = NewFramer();
        Feed(framer, Bytes.Ascii(Code + "\r"));
        framer.ForgetLastCode();
        Assert.Equal(ScanOutcome.Code, Feed(framer, Bytes.Ascii(Code + "\r")).Single().Outcome);
    }

    [Fact]
    public void The_code_buffer_holds_the_last_code_through_later_rejections()
    {
        var framer = NewFramer();
        Feed(framer, Bytes.Ascii(Code + "\r"));
        Feed(framer, Bytes.Ascii(Code + "\r" + "ABC\u0001DEF\r" + "PARTIAL"));
        Assert.Equal(Code, framer.CodeToString());
        Assert.Equal(Code, new string(framer.Code.Take(framer.CodeLength).Select(b => (char)b).ToArray()));
    }

    [Fact]
    public void Reset_drops_partial_input_and_the_duplicate_memory()
    {
        var framer = NewFramer();
        Feed(framer, Bytes.Ascii(Code + "\r" + "HALF"));
        framer.Reset();
        Assert.Equal(new[] { (ScanOutcome.Code, (string?)Code) }, Feed(framer, Bytes.Ascii(Code + "\r")));
    }

    // The stream of a triggered read (ACK, code, CR) delivered in two parts at every split point, with a
    // short pause at the split: always exactly the one code.
    [Fact]
    public void A_triggered_read_split_at_every_byte_gives_the_same_code()
    {
        byte[] stream = Bytes.Concat(Gm65Protocol.Ack, Bytes.Ascii(Code + "\r\n"));
        for (int split = 0; split <= stream.Length; split++)
        {
            var framer = NewFramer(suffixRequired: true);
            var results = Feed(framer, stream[..split], now: 1000);
            results.AddRange(Feed(framer, stream[split..], now: 1050));
            var flushed = framer.Flush(1050);
            Assert.True(flushed == ScanOutcome.None, $"split {split}: {flushed}");
            Assert.Equal(new[] { (ScanOutcome.Code, (string?)Code) }, results);
        }
    }

    [Fact]
    public void Settings_out_of_range_are_refused_by_name()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CodeFramer(new ScannerSettings { MinCodeLength = 0 }));
        Assert.Contains("MinCodeLength", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CodeFramer(new ScannerSettings { MaxCodeLength = 4, MinCodeLength = 5 }));
        Assert.Throws<ArgumentNullException>(() => new CodeFramer(null!));
    }

    [Fact]
    public void Random_bytes_never_throw_and_only_printable_codes_come_out()
    {
        Gen.Byte.Array[0, 400].Select(Gen.Int[0, 300].Array[1, 8]).Sample((bytes, gaps) =>
        {
            var settings = new ScannerSettings { MaxCodeLength = 64 };
            var framer = NewFramer(suffixRequired: gaps[0] % 2 == 0, settings);
            long now = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                now += gaps[i % gaps.Length];
                CheckCode(framer.Feed(bytes[i], now), framer, settings);
            }

            CheckCode(framer.Flush(now + 1000), framer, settings);
        }, iter: 2000);
    }

    private static void CheckCode(ScanOutcome outcome, CodeFramer framer, ScannerSettings settings)
    {
        if (outcome != ScanOutcome.Code)
        {
            return;
        }

        Assert.InRange(framer.CodeLength, settings.MinCodeLength, settings.MaxCodeLength);
        for (int i = 0; i < framer.CodeLength; i++)
        {
            Assert.InRange(framer.Code[i], (byte)0x20, (byte)0x7E);
        }
    }
}
