using Terminal.SimulatedDevices.Scanner;
using Terminal.Tests.Scanner;
using Xunit;

namespace Terminal.Tests.SimulatedDevices;

/// <summary>
/// The one GM65 model: the output zone's protocol bit honoured, unknown frames answered with silence and counted,
/// codes shown once or held, and the scan window a trigger opens.
/// </summary>
public sealed class Gm65ModelTests
{
    private const string Code = "281012345678901234";

    private readonly InMemorySerialPair _pair = new();
    private readonly Gm65Model _module;

    public Gm65ModelTests()
    {
        _module = new Gm65Model(_pair.B.Read, _pair.B.Write, _pair.Clock.MonotonicMs);
    }

    [Theory]
    [InlineData(0x00, "")]           // no tail
    [InlineData(0x01, "0D")]         // CR
    [InlineData(0x21, "0D 0A")]      // CR LF
    [InlineData(0x41, "09")]         // TAB
    [InlineData(0x61, "")]           // tail type "none"
    public void A_read_code_ends_with_the_tail_the_output_zone_selects(int output, string tail)
    {
        _module.Zones[0x0000] = 0xC6; // continuous
        _module.Zones[0x0060] = (byte)output;
        _module.Present(Code);
        Assert.Equal(Hex(Bytes.Ascii(Code)) + (tail.Length > 0 ? " " + tail : ""), Hex(_pair.A.Drain()));
    }

    [Fact]
    public void The_output_protocol_bit_wraps_the_code()
    {
        _module.Zones[0x0000] = 0xC6;
        _module.Zones[0x0060] = 0x81; // protocol output, CR tail
        _module.Present(Code);
        Assert.Equal("03 00 12 " + Hex(Bytes.Ascii(Code)) + " 0D", Hex(_pair.A.Drain()));
    }

    [Fact]
    public void An_unknown_command_type_gets_no_answer_and_is_reported()
    {
        var seen = new List<string>();
        _module.ProtocolErrorSeen = seen.Add;
        byte[] frame = { 0x7E, 0x00, 0x0A, 0x01, 0x00, 0x00, 0x00, 0xAB, 0xCD }; // type 0A, CRC bypass
        _pair.A.Write(frame, 0, frame.Length);
        _module.Pump();
        Assert.Empty(_pair.A.Drain());
        Assert.Equal(1, _module.ProtocolErrors);
        Assert.Equal(new[] { "unknown command type 0A" }, seen);
    }

    [Fact]
    public void A_code_shown_once_is_read_at_the_next_scan_only()
    {
        _module.Zones[0x0000] = 0xC5; // command mode
        _module.Present(Code);
        Assert.True(_module.HasPendingCode);
        Assert.Empty(_pair.A.Drain()); // not scanning yet

        Trigger();
        Assert.EndsWith(Hex(Bytes.Ascii(Code)), Hex(_pair.A.Drain()), StringComparison.Ordinal);
        Assert.False(_module.HasPendingCode);

        Trigger();
        Assert.Equal("02 00 00 01 00 33 31", Hex(_pair.A.Drain())); // the ACK, no code: it was taken away
    }

    [Fact]
    public void A_held_code_is_read_at_every_scan()
    {
        _module.Zones[0x0000] = 0xC5;
        _module.Hold(Code);
        Trigger();
        Trigger();
        string both = Hex(_pair.A.Drain());
        Assert.Equal(2, CountOf(both, Hex(Bytes.Ascii(Code))));
        Assert.False(_module.HasPendingCode);
    }

    [Fact]
    public void A_trigger_opens_a_scan_window_that_reads_a_code_shown_later()
    {
        _module.Zones[0x0000] = 0xC5;
        Trigger();
        _pair.A.Drain();
        Assert.True(_module.Scanning);

        _pair.Clock.Advance(Gm65Model.ScanWindowMs - 1);
        _module.Present(Code);
        Assert.Equal(Hex(Bytes.Ascii(Code)), Hex(_pair.A.Drain()));
        Assert.False(_module.Scanning); // a read ends the scan

        Trigger();
        _pair.A.Drain();
        _pair.Clock.Advance(Gm65Model.ScanWindowMs);
        Assert.False(_module.Scanning);
        _module.Present(Code);
        Assert.Empty(_pair.A.Drain());
        Assert.True(_module.HasPendingCode);
    }

    private void Trigger()
    {
        // Zone 0x0002 bit 0 (the driver's TriggerScan), CRC bypass.
        byte[] frame = { 0x7E, 0x00, 0x08, 0x01, 0x00, 0x02, 0x01, 0xAB, 0xCD };
        _pair.A.Write(frame, 0, frame.Length);
        _module.Pump();
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static string Hex(byte[] bytes) => Bytes.ToHex(bytes);
}
