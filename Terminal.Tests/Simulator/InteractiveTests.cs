using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Rendering;
using Terminal.Simulator.Ui;
using Xunit;

namespace Terminal.Tests.Simulator;

public sealed class InteractiveTests
{
    [Fact]
    public async Task A_typed_session_sells_refuses_a_web_link_and_recovers_from_a_power_cut()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-interactive-").FullName;
        try
        {
            var transcript = new StringWriter();
            const string script = """
                sale 12.50 mpm T-1
                await SHOW_QR
                pay
                await RESULT
                sale 3.20 cpm T-2
                await WAITING_FOR_CUSTOMER
                scan https://example.com/menu
                await DEVICE
                code ok
                await RESULT
                sale 1.00 mpm T-3
                await SHOW_QR
                powercut
                walkaway
                await RESULT
                bogus
                quit
                """;
            int exit;
            await using (Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo }))
            {
                exit = new Interactive(session, new Output(TextWriter.Synchronized(transcript)), new StringReader(script), PictureStyle.Compact).Run();
            }

            string text = transcript.ToString();
            Assert.Equal(0, exit);
            Assert.Contains("RESULT SALE T-1 SUCCESS 1250 USD", text);
            Assert.Contains("CODE_REFUSED This is a web link, not a payment code", text);
            Assert.Contains("RESULT SALE T-2 SUCCESS 320 USD", text);
            Assert.Contains("device: POWER CUT", text);
            Assert.Contains("RESULT SALE T-3 ", text);
            Assert.Contains("unknown command \"bogus\"", text);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
