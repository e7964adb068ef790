using Terminal.Drivers.Printer;
using Terminal.SimulatedDevices.Printer;
using Xunit;

namespace Terminal.Tests.Printer;

/// <summary>
/// The ESC/POS driver: the command bytes as the Epson reference defines them, the real-time status (DLE EOT 1, 2,
/// 4) decoded for every state the printer model can be in, garbage and silence told apart from a ready printer,
/// and what the writer sends printed by the model as intended.
/// </summary>
public sealed class EscPosTests
{
    [Fact]
    public void Commands_are_the_bytes_of_the_reference()
    {
        var w = new EscPosWriter(64);
        w.Initialize();
        w.Align(EscPosWriter.AlignCenter);
        w.Emphasis(true);
        w.CharacterSize(2, 2);
        w.Text("A");
        w.LineFeed();
        w.Feed(4);
        Assert.Equal(new byte[] { 0x1B, 0x40, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11, 0x41, 0x0A, 0x1B, 0x64, 0x04 }, w.Buffer[..w.Length]);
    }

    [Fact]
    public void Text_outside_printable_ascii_cannot_form_a_command()
    {
        var w = new EscPosWriter(64);
        w.Text("a\u001B@\n\u00E9\u4E2D~");
        Assert.Equal("a?@???~"u8.ToArray(), w.Buffer[..w.Length]);
    }

    [Fact]
    public void Numbers_are_written_without_allocating_and_an_overflow_is_flagged()
    {
        var w = new EscPosWriter(8);
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Number(42, 4);
        w.Number(-7, 0);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("0042-7"u8.ToArray(), w.Buffer[..w.Length]);
        Assert.False(w.Overflowed);
        w.Number(123456, 0);
        Assert.True(w.Overflowed);
        Assert.Equal(8, w.Length);
    }

    [Theory]
    [InlineData(0x12, true)]
    [InlineData(0x1A, true)]
    [InlineData(0x72, true)]
    [InlineData(0x7E, true)]
    [InlineData(0x00, false)]
    [InlineData(0xFF, false)]
    [InlineData(0x13, false)]
    [InlineData(0x92, false)]
    [InlineData(0x02, false)]
    public void A_status_byte_has_the_fixed_bits(int value, bool status)
    {
        Assert.Equal(status, EscPosStatus.IsStatusByte((byte)value));
    }

    [Fact]
    public void A_ready_printer_says_so()
    {
        var rig = new PrinterRig();
        Assert.Equal(PrinterState.Ready, rig.Status());
        Assert.Equal(3, rig.Model.StatusQueries);
        Assert.Equal(new byte[] { 0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04 }, rig.Line.A.WrittenLog);
    }

    [Theory]
    [InlineData("paperOut", PrinterState.PaperOut)]
    [InlineData("paperLow", PrinterState.PaperLow)]
    [InlineData("cover", PrinterState.CoverOpen)]
    [InlineData("offline", PrinterState.Offline)]
    public void Each_printer_state_is_read_from_the_status_bytes(string condition, PrinterState expected)
    {
        var rig = new PrinterRig();
        switch (condition)
        {
            case "paperOut":
                rig.Model.PaperOut = true;
                break;
            case "paperLow":
                rig.Model.PaperLow = true;
                break;
            case "cover":
                rig.Model.CoverOpen = true;
                break;
            default:
                rig.Model.Offline = true;
                break;
        }

        Assert.Equal(expected, rig.Status());
    }

    [Fact]
    public void A_printer_without_power_is_not_answering_after_the_timeout()
    {
        var rig = new PrinterRig();
        rig.Model.Powered = false;
        long asked = rig.Clock.Mono;
        Assert.Equal(PrinterState.NotAnswering, rig.Status());
        Assert.Equal(EscPosPrinter.StatusTimeoutMs, rig.Clock.Mono - asked);
        Assert.Equal(1, rig.Driver.BadAnswers);
    }

    [Fact]
    public void Garbage_is_not_taken_for_a_status()
    {
        var rig = new PrinterRig();
        rig.Model.GarbledAnswers = true;
        Assert.Equal(PrinterState.Garbled, rig.Status());

        // Extra bytes after three good answers are garbage too (an echoing device is not a printer).
        var echo = new PrinterRig();
        echo.Line.B.Written = () =>
        {
            echo.Line.B.Drain();
            echo.Line.B.Write([0x12, 0x12, 0x12, 0x12], 0, 4);
        };
        Assert.Equal(PrinterState.Garbled, echo.Status());
    }

    [Fact]
    public void Stale_bytes_from_before_the_query_are_dropped()
    {
        var rig = new PrinterRig();
        rig.Line.A.Inject(0x72, 0x72);
        Assert.Equal(PrinterState.Ready, rig.Status());
    }

    [Fact]
    public void What_the_writer_sends_the_model_prints_as_meant()
    {
        var rig = new PrinterRig();
        var w = new EscPosWriter(128);
        w.Initialize();
        w.Align(EscPosWriter.AlignCenter);
        w.CharacterSize(2, 2);
        w.Emphasis(true);
        w.Text("PAID");
        w.LineFeed();
        w.Emphasis(false);
        w.CharacterSize(1, 1);
        w.Align(EscPosWriter.AlignLeft);
        w.Text("Total");
        w.Repeat(' ', 22);
        w.Text("12.50");
        w.LineFeed();
        w.Feed(2);
        rig.Driver.Send(w.Buffer, 0, w.Length);

        PrintedDocument receipt = Assert.Single(rig.Model.Documents);
        Assert.Equal(0, rig.Model.ProtocolErrors);
        Assert.Equal(0, rig.Model.WrappedLines);
        Assert.Equal(4, receipt.Lines.Count);
        Assert.True(receipt.Lines[0].Bold);
        Assert.Equal(2, receipt.Lines[0].Height);
        Assert.Equal(1, receipt.Lines[0].Align);
        Assert.Equal("            P A I D\nTotal                      12.50\n\n\n", receipt.ToText());
        (int width, int height, bool[] dots) = EscPosPrinterModel.Render(receipt);
        Assert.Equal(384, width);
        Assert.Equal(6 + (48 + 6) + 3 * (24 + 6), height);
        Assert.Contains(true, dots);
    }

    [Fact]
    public void The_model_refuses_what_the_printer_does_not_know()
    {
        // The negative control of every "no protocol errors" assertion: the model does notice a bad command.
        var rig = new PrinterRig();
        rig.Driver.Send([0x1B, 0x5A, 0x1D, 0x21, 0x88, 0x07], 0, 6);
        Assert.Equal(3, rig.Model.ProtocolErrors);
    }

    [Fact]
    public void Lines_sent_to_a_printer_out_of_paper_are_lost_and_counted()
    {
        var rig = new PrinterRig();
        rig.Model.PaperOut = true;
        rig.Driver.Send("one\ntwo\n"u8.ToArray(), 0, 8);
        Assert.Equal(2, rig.Model.LostLines);
        Assert.Empty(rig.Model.Documents);
    }
}
