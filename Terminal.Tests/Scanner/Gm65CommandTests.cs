using Xunit;
using Terminal.Drivers.Scanner;
using Terminal.Drivers.Scanner.Commands;
using Terminal.SimulatedDevices.Scanner;

namespace Terminal.Tests.Scanner;

public class Gm65CommandTests
{
    // Every frame and CRC printed in the GM65 manual (section 8) and the Waveshare/GM812 appendices.
    [Theory]
    [InlineData("07 01 00 0A 01", 0xEE8A)]
    [InlineData("00 01 00", 0x3331)]
    [InlineData("09 01 00 00 00", 0xDEC8)]
    [InlineData("00 01 3E", 0xE4AC)]
    [InlineData("08 01 00 02 01", 0x02DA)]
    [InlineData("07 01 00 2A 02", 0xD80F)]
    [InlineData("08 02 00 2A 39 01", 0xA7EA)]
    public void Crc_matches_the_manual_examples(string body, int crc)
    {
        byte[] bytes = Bytes.Hex(body);
        Assert.Equal(crc, Gm65Crc.Compute(bytes, 0, bytes.Length));
        Assert.Equal(crc, Gm65Model.Crc16Xmodem(bytes));
    }

    [Fact]
    public void Crc_of_a_range_ignores_bytes_outside_it()
    {
        byte[] bytes = Bytes.Hex("7E 00 07 01 00 0A 01 EE 8A");
        Assert.Equal(0xEE8A, Gm65Crc.Compute(bytes, 2, 5));
    }

    [Fact]
    public void Read_zone_bits_is_the_manual_frame()
    {
        AssertFrame("7E 00 07 01 00 0A 01 EE 8A", new ReadZoneBits(0x000A, 1));
    }

    [Fact]
    public void Read_of_256_zones_sends_count_zero()
    {
        var read = new ReadZoneBits(0x0000, 256);
        byte[] frame = Frame(read);
        Assert.Equal(0x00, frame[6]);
        Assert.Equal(256, read.Count);
    }

    [Fact]
    public void Read_of_two_zones_matches_the_waveshare_baud_query()
    {
        AssertFrame("7E 00 07 01 00 2A 02 D8 0F", new ReadZoneBits(0x002A, 2));
    }

    [Fact]
    public void Write_zone_bits_is_the_manual_trigger_frame()
    {
        AssertFrame("7E 00 08 01 00 02 01 02 DA", new WriteZoneBits(0x0002, 0x01));
    }

    [Fact]
    public void Write_of_two_zones_matches_the_gm812_baud_setting()
    {
        AssertFrame("7E 00 08 02 00 2A 39 01 A7 EA", new WriteZoneBits(0x002A, new byte[] { 0x39, 0x01 }));
    }

    [Fact]
    public void Write_keeps_its_own_copy_of_the_values()
    {
        byte[] values = { 0x01 };
        var write = new WriteZoneBits(0x0060, values);
        values[0] = 0x99;
        Assert.Equal(0x01, write.ValueAt(0));
    }

    [Fact]
    public void Save_is_the_manual_frame()
    {
        AssertFrame("7E 00 09 01 00 00 00 DE C8", new SaveZoneBits());
    }

    [Fact]
    public void Trigger_is_the_crc_form_of_the_manual_trigger()
    {
        AssertFrame("7E 00 08 01 00 02 01 02 DA", new TriggerScan());
    }

    [Fact]
    public void Frames_are_written_at_the_offset_given()
    {
        byte[] buffer = new byte[12];
        int n = new SaveZoneBits().WriteTo(buffer, 3);
        Assert.Equal(9, n);
        Assert.Equal(Bytes.Hex("00 00 00 7E 00 09 01 00 00 00 DE C8"), buffer);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x10000)]
    public void Addresses_outside_two_bytes_are_refused(int address)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadZoneBits(address, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WriteZoneBits(address, 0x00));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Read_counts_outside_1_to_256_are_refused(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadZoneBits(0, count));
    }

    [Fact]
    public void Writes_of_no_values_or_more_than_255_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WriteZoneBits(0, Array.Empty<byte>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WriteZoneBits(0, new byte[256]));
        Assert.Throws<ArgumentNullException>(() => new WriteZoneBits(0, null!));
    }

    [Fact]
    public void A_buffer_too_small_is_refused_with_the_size()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SaveZoneBits().WriteTo(new byte[8], 0));
        Assert.Contains("9-byte frame", e.Message);
    }

    private static byte[] Frame(IGm65Command command)
    {
        byte[] buffer = new byte[command.Length];
        Assert.Equal(command.Length, command.WriteTo(buffer, 0));
        return buffer;
    }

    private static void AssertFrame(string expected, IGm65Command command) =>
        Assert.Equal(expected, Bytes.ToHex(Frame(command)));
}
