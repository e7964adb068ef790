using System.Collections.Concurrent;
using Terminal.Firmware.HostLink;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Register;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// How the chaos run tells that a keypad sale began (<see cref="KeypadSaleStart"/>). The run used to wait only for the
/// sale's SHOW_QR; a keypad sale whose order could not be created (every attempt lost, likelier when a loaded machine
/// makes exchanges time out) ends with its RESULT and never shows a QR, and the run counted it as unfinished
/// ("no QR after the keypad's OK").
/// </summary>
public sealed class KeypadSaleStartTests
{
    [Fact]
    public void The_first_QR_or_sale_result_of_a_new_keypad_reference_starts_the_sale_and_nothing_else_does()
    {
        var start = new KeypadSaleStart();

        Assert.True(start.IsStart(Line("!4 SHOW_QR KP-3 https://qr.example/abc")));
        Assert.True(start.IsStart(Line("!4 RESULT SALE KP-3 CANCELLED 1250 USD")));
        Assert.False(start.IsStart(Line("!4 RESULT REFUND KP-3 SUCCESS 500 USD")));
        Assert.False(start.IsStart(Line("!4 SHOW_QR C1-00007 https://qr.example/abc")));
        Assert.False(start.IsStart(Line("!4 RESULT SALE C1-00007 SUCCESS 1250 USD")));
        Assert.False(start.IsStart(Line("!4 WAITING_FOR_CUSTOMER KP-3")));

        Assert.Equal("KP-3", start.Take(Line("!4 RESULT SALE KP-3 CANCELLED 1250 USD")));

        // The same sale's result reported again after a reboot is not the next sale's start.
        Assert.False(start.IsStart(Line("!9 RESULT SALE KP-3 CANCELLED 1250 USD")));
        Assert.False(start.IsStart(Line("!9 SHOW_QR KP-3 https://qr.example/abc")));
        Assert.True(start.IsStart(Line("!10 SHOW_QR KP-4 https://qr.example/def")));
    }

    [Fact]
    public async Task A_keypad_sale_whose_order_cannot_be_created_ends_with_its_result_and_no_QR()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-keypad-noqr-").FullName;
        try
        {
            // Every exchange with the gateway is lost (half before it leaves, half after the gateway acted).
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder,
                Persistent = false,
                Timings = TerminalTimings.Chaos,
                NetworkDropRate = 1.0,
            });
            session.Terminal.Boot();
            Assert.True(session.Terminal.WaitIdle(30000), "the terminal did not finish booting");
            HostLinkClient register = session.Terminal.Register!;
            var lines = new ConcurrentQueue<string>();
            register.LineReceived = l => lines.Enqueue(l.Text);
            register.ClearEvents();

            session.Terminal.Type("1250A");
            var start = new KeypadSaleStart();
            HostLinkLine? first = register.WaitForEvent(start.IsStart, 60000);

            Assert.NotNull(first);
            Assert.Equal("RESULT", first!.Name);
            string reference = start.Take(first);
            Assert.StartsWith("KP-", reference, StringComparison.Ordinal);
            Assert.NotEqual("SUCCESS", HostLinkResultLine.From(first, 2).Outcome);
            Assert.DoesNotContain(lines, l => l.Contains(" SHOW_QR ", StringComparison.Ordinal));
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static HostLinkLine Line(string text) => HostLinkLine.Parse(text + "*" + HostLinkChecksum.Compute(text).ToString("X2"))!;
}
