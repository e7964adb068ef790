using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
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
            string resultPage;
            await using (Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo }))
            {
                exit = new Interactive(session, new Output(TextWriter.Synchronized(transcript)), new StringReader(script), PictureStyle.Compact).Run();

                // The link printed when the customer paid is the gateway's result page for that sale.
                string link = Regex.Match(transcript.ToString(), @"the wallet opens the store's result page: (\S+)").Groups[1].Value;
                Assert.StartsWith(session.Backend!.Gateway.BaseUri + "result/", link);
                using var handler = new HttpClientHandler();
                handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
                {
                    chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(session.Backend.Gateway.CaCertificate!);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate!);
                };
                using var browser = new HttpClient(handler);
                resultPage = await browser.GetStringAsync(link);
            }

            string text = transcript.ToString();
            Assert.Equal(0, exit);
            Assert.Contains("RESULT SALE T-1 SUCCESS 1250 USD", text);
            Assert.Contains("<h1>Paid</h1>", resultPage);
            Assert.Single(Regex.Matches(text, "result page: ")); // only the order-code sale T-1 has one
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
