using Terminal.SimulatedDevices.Display;
using Xunit;

namespace Terminal.Tests.SimulatedDevices;

/// <summary>
/// The controller models are strict where the simulator's old interpreter was lenient: what a real controller
/// would not take is refused, counted and reported, so a driver bug shows in the simulator as in the tests.
/// </summary>
public sealed class OledModelTests
{
    [Theory]
    [InlineData(0x38)] // no SSD1306 command
    [InlineData(0xFF)]
    public void An_unknown_ssd1306_command_is_refused_and_reported(int opcode)
    {
        var model = new Ssd1306Model();
        var seen = new List<string>();
        model.ProtocolErrorSeen = seen.Add;

        Assert.Throws<InvalidDataException>(() => model.Write([0x00, (byte)opcode], 0, 2));

        Assert.Equal(1, model.ProtocolErrors);
        Assert.Contains($"{opcode:X2}", model.LastProtocolError, StringComparison.Ordinal);
        Assert.Equal(new[] { model.LastProtocolError }, seen);
        Assert.Equal(0, model.Version);
    }

    [Fact]
    public void Ssd1306_only_commands_are_refused_by_the_sh1106()
    {
        var model = new Sh1106Model();
        Assert.Throws<InvalidDataException>(() => model.Write([0x00, 0x20, 0x00], 0, 3)); // memory addressing mode
        Assert.Throws<InvalidDataException>(() => model.Write([0x00, 0x8D, 0x14], 0, 3)); // charge pump
        Assert.Equal(2, model.ProtocolErrors);
    }

    [Fact]
    public void A_command_cut_off_by_the_end_of_a_write_is_refused()
    {
        var model = new Ssd1306Model();
        Assert.Throws<InvalidDataException>(() => model.Write([0x00, 0x81], 0, 2)); // contrast without its value
        Assert.Equal(0x7F, model.Contrast);
    }

    [Fact]
    public void Well_formed_writes_are_taken_and_shown_when_the_display_is_on()
    {
        var model = new Ssd1306Model();
        Assert.True(model.Write([0x00, 0x20, 0x00, 0x21, 0x00, 0x7F, 0x22, 0x00, 0x07], 0, 9));
        Assert.True(model.Write([0x40, 0x01, 0x03], 0, 3));
        Assert.False(model.IsLit(0, 0));
        Assert.True(model.Write([0x80, 0xAF], 0, 2)); // Co = 1: a single command
        Assert.True(model.IsLit(0, 0));
        Assert.True(model.IsLit(1, 1));
        Assert.False(model.IsLit(0, 1));
        Assert.Equal(3, model.Version);
        Assert.Equal(0, model.ProtocolErrors);
    }

    [Fact]
    public void An_unplugged_module_nacks_every_write()
    {
        var model = new Ssd1306Model { Connected = false };
        Assert.False(model.Write([0x80, 0xAF], 0, 2));
        Assert.False(model.DisplayOn);
        Assert.Equal(1, model.FailedWrites);
    }
}
