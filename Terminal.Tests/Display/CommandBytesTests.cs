using Terminal.Drivers.Display.Sh1106;
using Terminal.Drivers.Display.Ssd1306;
using Xunit;

namespace Terminal.Tests.Display;

/// <summary>Exact bytes of every controller command, and the range checks (datasheet values in comments).</summary>
public class CommandBytesTests
{
    private delegate int Writer(byte[] buffer, int offset);

    /// <summary>Writes at offset 3 of a guarded buffer: returns the bytes and checks nothing else was touched.</summary>
    private static byte[] Bytes(Writer write)
    {
        var buffer = new byte[40];
        Array.Fill(buffer, (byte)0xEE);
        int end = write(buffer, 3);
        Assert.All(buffer.Take(3), b => Assert.Equal(0xEE, b));
        Assert.All(buffer.Skip(end), b => Assert.Equal(0xEE, b));
        return buffer[3..end];
    }

    private static void OutOfRange(string param, Writer write)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => write(new byte[16], 0));
        Assert.Equal(param, e.ParamName);
        Assert.Contains(param, e.Message);
    }

    [Theory]
    [InlineData(true, 0xAF)]
    [InlineData(false, 0xAE)]
    public void SetDisplayOnOff_bytes(bool on, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetDisplayOnOff.Write(b, o, on)));

    [Theory]
    [InlineData(1, 8, new byte[] { 0xD5, 0x80 })]
    [InlineData(16, 0, new byte[] { 0xD5, 0x0F })]
    [InlineData(1, 15, new byte[] { 0xD5, 0xF0 })]
    public void SetDisplayClockDivide_bytes(int divide, int oscillator, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetDisplayClockDivide.Write(b, o, divide, oscillator)));

    [Fact]
    public void SetDisplayClockDivide_ranges()
    {
        OutOfRange("divideRatio", (b, o) => SetDisplayClockDivide.Write(b, o, 0, 8));
        OutOfRange("divideRatio", (b, o) => SetDisplayClockDivide.Write(b, o, 17, 8));
        OutOfRange("oscillatorFrequency", (b, o) => SetDisplayClockDivide.Write(b, o, 1, 16));
        OutOfRange("oscillatorFrequency", (b, o) => SetDisplayClockDivide.Write(b, o, 1, -1));
    }

    [Theory]
    [InlineData(64, new byte[] { 0xA8, 0x3F })]
    [InlineData(16, new byte[] { 0xA8, 0x0F })]
    [InlineData(32, new byte[] { 0xA8, 0x1F })]
    public void SetMultiplexRatio_bytes(int ratio, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetMultiplexRatio.Write(b, o, ratio)));

    [Theory]
    [InlineData(15)]
    [InlineData(65)]
    public void SetMultiplexRatio_range(int ratio) => OutOfRange("ratio", (b, o) => SetMultiplexRatio.Write(b, o, ratio));

    [Theory]
    [InlineData(0, new byte[] { 0xD3, 0x00 })]
    [InlineData(63, new byte[] { 0xD3, 0x3F })]
    public void SetDisplayOffset_bytes(int rows, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetDisplayOffset.Write(b, o, rows)));

    [Theory]
    [InlineData(-1)]
    [InlineData(64)]
    public void SetDisplayOffset_range(int rows) => OutOfRange("rows", (b, o) => SetDisplayOffset.Write(b, o, rows));

    [Theory]
    [InlineData(0, 0x40)]
    [InlineData(63, 0x7F)]
    [InlineData(8, 0x48)]
    public void SetDisplayStartLine_bytes(int line, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetDisplayStartLine.Write(b, o, line)));

    [Theory]
    [InlineData(-1)]
    [InlineData(64)]
    public void SetDisplayStartLine_range(int line) => OutOfRange("line", (b, o) => SetDisplayStartLine.Write(b, o, line));

    [Theory]
    [InlineData(true, new byte[] { 0x8D, 0x14 })]
    [InlineData(false, new byte[] { 0x8D, 0x10 })]
    public void SetChargePump_bytes(bool enable, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetChargePump.Write(b, o, enable)));

    [Theory]
    [InlineData(MemoryAddressingMode.Horizontal, new byte[] { 0x20, 0x00 })]
    [InlineData(MemoryAddressingMode.Vertical, new byte[] { 0x20, 0x01 })]
    [InlineData(MemoryAddressingMode.Page, new byte[] { 0x20, 0x02 })]
    public void SetMemoryAddressingMode_bytes(MemoryAddressingMode mode, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetMemoryAddressingMode.Write(b, o, mode)));

    [Fact]
    public void SetMemoryAddressingMode_range() =>
        OutOfRange("mode", (b, o) => SetMemoryAddressingMode.Write(b, o, (MemoryAddressingMode)3));

    [Theory]
    [InlineData(true, 0xA1)]
    [InlineData(false, 0xA0)]
    public void SetSegmentRemap_bytes(bool remapped, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetSegmentRemap.Write(b, o, remapped)));

    [Theory]
    [InlineData(true, 0xC8)]
    [InlineData(false, 0xC0)]
    public void SetComScanDirection_bytes(bool remapped, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetComScanDirection.Write(b, o, remapped)));

    [Theory]
    [InlineData(true, false, new byte[] { 0xDA, 0x12 })]
    [InlineData(false, false, new byte[] { 0xDA, 0x02 })]
    [InlineData(true, true, new byte[] { 0xDA, 0x32 })]
    [InlineData(false, true, new byte[] { 0xDA, 0x22 })]
    public void SetComPins_bytes(bool alternative, bool remap, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetComPins.Write(b, o, alternative, remap)));

    [Theory]
    [InlineData(0xCF, new byte[] { 0x81, 0xCF })]
    [InlineData(0, new byte[] { 0x81, 0x00 })]
    [InlineData(255, new byte[] { 0x81, 0xFF })]
    public void SetContrast_bytes(int contrast, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetContrast.Write(b, o, contrast)));

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void SetContrast_range(int contrast) => OutOfRange("contrast", (b, o) => SetContrast.Write(b, o, contrast));

    [Theory]
    [InlineData(1, 15, new byte[] { 0xD9, 0xF1 })]
    [InlineData(2, 2, new byte[] { 0xD9, 0x22 })]
    [InlineData(15, 1, new byte[] { 0xD9, 0x1F })]
    public void SetPrechargePeriod_bytes(int phase1, int phase2, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetPrechargePeriod.Write(b, o, phase1, phase2)));

    [Fact]
    public void SetPrechargePeriod_ranges()
    {
        OutOfRange("phase1", (b, o) => SetPrechargePeriod.Write(b, o, 0, 2));
        OutOfRange("phase1", (b, o) => SetPrechargePeriod.Write(b, o, 16, 2));
        OutOfRange("phase2", (b, o) => SetPrechargePeriod.Write(b, o, 2, 0));
        OutOfRange("phase2", (b, o) => SetPrechargePeriod.Write(b, o, 2, 16));
    }

    [Theory]
    [InlineData(4, new byte[] { 0xDB, 0x40 })]
    [InlineData(0, new byte[] { 0xDB, 0x00 })]
    [InlineData(2, new byte[] { 0xDB, 0x20 })]
    [InlineData(3, new byte[] { 0xDB, 0x30 })]
    public void SetVcomhDeselect_bytes(int level, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetVcomhDeselect.Write(b, o, level)));

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void SetVcomhDeselect_range(int level) => OutOfRange("level", (b, o) => SetVcomhDeselect.Write(b, o, level));

    [Theory]
    [InlineData(false, 0xA4)]
    [InlineData(true, 0xA5)]
    public void EntireDisplayOn_bytes(bool ignoreRam, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => EntireDisplayOn.Write(b, o, ignoreRam)));

    [Theory]
    [InlineData(false, 0xA6)]
    [InlineData(true, 0xA7)]
    public void SetInverseDisplay_bytes(bool inverse, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetInverseDisplay.Write(b, o, inverse)));

    [Theory]
    [InlineData(0, 127, new byte[] { 0x21, 0x00, 0x7F })]
    [InlineData(21, 42, new byte[] { 0x21, 0x15, 0x2A })]
    [InlineData(127, 127, new byte[] { 0x21, 0x7F, 0x7F })]
    public void SetColumnAddress_bytes(int start, int end, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetColumnAddress.Write(b, o, start, end)));

    [Fact]
    public void SetColumnAddress_ranges()
    {
        OutOfRange("start", (b, o) => SetColumnAddress.Write(b, o, -1, 10));
        OutOfRange("start", (b, o) => SetColumnAddress.Write(b, o, 128, 128));
        OutOfRange("end", (b, o) => SetColumnAddress.Write(b, o, 0, 128));
        OutOfRange("end", (b, o) => SetColumnAddress.Write(b, o, 10, 9));
    }

    [Theory]
    [InlineData(0, 7, new byte[] { 0x22, 0x00, 0x07 })]
    [InlineData(2, 3, new byte[] { 0x22, 0x02, 0x03 })]
    public void SetPageAddress_bytes(int start, int end, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetPageAddress.Write(b, o, start, end)));

    [Fact]
    public void SetPageAddress_ranges()
    {
        OutOfRange("start", (b, o) => SetPageAddress.Write(b, o, -1, 7));
        OutOfRange("start", (b, o) => SetPageAddress.Write(b, o, 8, 8));
        OutOfRange("end", (b, o) => SetPageAddress.Write(b, o, 0, 8));
        OutOfRange("end", (b, o) => SetPageAddress.Write(b, o, 5, 4));
    }

    [Theory]
    [InlineData(0, 0xB0)]
    [InlineData(7, 0xB7)]
    public void SetPageStart_bytes(int page, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetPageStart.Write(b, o, page)));

    [Theory]
    [InlineData(-1)]
    [InlineData(8)]
    public void SetPageStart_range(int page) => OutOfRange("page", (b, o) => SetPageStart.Write(b, o, page));

    [Theory]
    [InlineData(0, 0x00)]
    [InlineData(2, 0x02)]
    [InlineData(15, 0x0F)]
    public void SetLowerColumn_bytes(int nibble, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetLowerColumn.Write(b, o, nibble)));

    [Theory]
    [InlineData(0, 0x10)]
    [InlineData(8, 0x18)]
    [InlineData(15, 0x1F)]
    public void SetHigherColumn_bytes(int nibble, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetHigherColumn.Write(b, o, nibble)));

    [Fact]
    public void Column_nibble_ranges()
    {
        OutOfRange("nibble", (b, o) => SetLowerColumn.Write(b, o, 16));
        OutOfRange("nibble", (b, o) => SetLowerColumn.Write(b, o, -1));
        OutOfRange("nibble", (b, o) => SetHigherColumn.Write(b, o, 16));
        OutOfRange("nibble", (b, o) => SetHigherColumn.Write(b, o, -1));
    }

    [Fact]
    public void DeactivateScroll_bytes() => Assert.Equal(new byte[] { 0x2E }, Bytes(DeactivateScroll.Write));

    [Theory]
    [InlineData(true, new byte[] { 0xAD, 0x8B })]
    [InlineData(false, new byte[] { 0xAD, 0x8A })]
    public void Sh1106_SetDcDc_bytes(bool on, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetDcDc.Write(b, o, on)));

    [Theory]
    [InlineData(0, 0x30)]
    [InlineData(2, 0x32)]
    [InlineData(3, 0x33)]
    public void Sh1106_SetPumpVoltage_bytes(int level, int expected) =>
        Assert.Equal(new[] { (byte)expected }, Bytes((b, o) => SetPumpVoltage.Write(b, o, level)));

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Sh1106_SetPumpVoltage_range(int level) => OutOfRange("level", (b, o) => SetPumpVoltage.Write(b, o, level));

    [Theory]
    [InlineData(0x35, new byte[] { 0xDB, 0x35 })]
    [InlineData(0, new byte[] { 0xDB, 0x00 })]
    [InlineData(255, new byte[] { 0xDB, 0xFF })]
    public void Sh1106_SetVcomDeselectLevel_bytes(int level, byte[] expected) =>
        Assert.Equal(expected, Bytes((b, o) => SetVcomDeselectLevel.Write(b, o, level)));

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Sh1106_SetVcomDeselectLevel_range(int level) =>
        OutOfRange("level", (b, o) => SetVcomDeselectLevel.Write(b, o, level));

    [Fact]
    public void Ssd1306_init_sequence_is_the_documented_one()
    {
        // Adafruit_SSD1306 begin() and nanoFramework's Ssd13xx binding (docs/display.md): AE; D5 80; A8 3F; D3 00; 40; 8D 14; 20 00; A1; C8; DA 12;
        // 81 CF; D9 F1; DB 40; A4; A6; (2E); AF
        byte[] expected =
        {
            0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8, 0xDA, 0x12,
            0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0xA4, 0xA6, 0x2E, 0xAF,
        };
        byte[] actual = Bytes((b, o) => Ssd1306InitSequence.Write(b, o, 0xCF, false, true));
        Assert.Equal(expected, actual);
        Assert.Equal(Ssd1306InitSequence.Length, actual.Length);
    }

    [Fact]
    public void Ssd1306_init_sequence_carries_contrast_inversion_and_power()
    {
        var buffer = new byte[32];
        int end = Ssd1306InitSequence.Write(buffer, 0, 0x20, true, false);
        Assert.Equal(26, end);
        Assert.Equal(new byte[] { 0x81, 0x20 }, buffer[16..18]);
        Assert.Equal(0xA7, buffer[23]);
        Assert.Equal(0xAE, buffer[25]);
    }

    [Fact]
    public void Sh1106_init_sequence_uses_only_sh1106_commands()
    {
        byte[] expected =
        {
            0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0xAD, 0x8B, 0x32, 0xA1, 0xC8, 0xDA, 0x12,
            0x81, 0x80, 0xD9, 0x22, 0xDB, 0x35, 0xA4, 0xA6, 0xAF,
        };
        var buffer = new byte[32];
        int end = Sh1106InitSequence.Write(buffer, 0, 0x80, false, true);
        Assert.Equal(expected, buffer[..end]);
        Assert.Equal(Sh1106InitSequence.Length, end);
    }

    [Fact]
    public void Commands_refuse_a_buffer_without_room()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SetColumnAddress.Write(new byte[4], 2, 0, 127));
        Assert.Equal("offset", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SetDisplayOnOff.Write(new byte[4], -1, true));
        Assert.Throws<ArgumentNullException>(() => SetContrast.Write(null!, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ssd1306InitSequence.Write(new byte[25], 0, 0xCF, false, true));
    }
}
