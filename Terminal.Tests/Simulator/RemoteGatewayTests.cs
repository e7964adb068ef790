using Terminal.AntomEmulator;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Register;
using Xunit;

namespace Terminal.Tests.Simulator;

public sealed class RemoteGatewayTests
{
    [Fact]
    public async Task With_gateway_url_key_file_and_ca_file_the_terminal_pays_through_that_gateway()
    {
        string backendFolder = Directory.CreateTempSubdirectory("sim-test-remote-gw-").FullName;
        string terminalFolder = Directory.CreateTempSubdirectory("sim-test-remote-terminal-").FullName;
        try
        {
            // A gateway "elsewhere": started on its own, the device registered through it as an operator would.
            await using var backend = await EmbeddedBackend.StartAsync(new BackendSettings { DataFolder = backendFolder, Persistent = false });
            var credentials = await backend.Gateway.RegisterDeviceAsync("REMOTE01");
            string keyFile = Path.Combine(terminalFolder, "device.key");
            string caFile = Path.Combine(terminalFolder, "gateway-ca.pem");
            File.WriteAllText(keyFile, credentials.Key + "\n");
            File.WriteAllText(caFile, backend.Gateway.CaCertificatePem);

            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = terminalFolder,
                DeviceId = "REMOTE01",
                GatewayUrl = backend.Gateway.BaseUri.ToString(),
                KeyFile = keyFile,
                CaFile = caFile,
                Timings = TerminalTimings.Demo,
            });
            Assert.Null(session.Backend);
            Assert.Null(session.Wallet);
            session.Terminal.Boot();
            Assert.True(session.Terminal.WaitIdle(20000));
            HostLinkClient register = session.Terminal.Register!;

            Assert.True(register.Request("SALE 500 USD CPM REMOTE-1", 20000).Ok);
            Assert.NotNull(register.WaitForEvent(l => l.Name == "WAITING_FOR_CUSTOMER", 20000));
            session.Terminal.Scanner!.Present(backend.Emulator.Wallet.IssuePaymentCode(PaymentCodeOutcome.Success));
            HostLinkLine? result = register.WaitForEvent(l => l.Name == "RESULT", 20000);

            Assert.NotNull(result);
            Assert.Equal("SUCCESS", HostLinkResultLine.From(result!, 2).Outcome);
            Assert.Contains(backend.Emulator.Records.Payments(), p => p.Status == PaymentStatus.Success && p.Amount.Value == 500);
        }
        finally
        {
            Directory.Delete(terminalFolder, recursive: true);
            Directory.Delete(backendFolder, recursive: true);
        }
    }

    [Fact]
    public async Task A_key_file_that_is_not_a_key_is_refused_with_its_name()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-badkey-").FullName;
        try
        {
            string keyFile = Path.Combine(folder, "device.key");
            File.WriteAllText(keyFile, "not base64!");

            var e = await Assert.ThrowsAsync<ArgumentException>(() => Session.StartAsync(new SessionOptions
            {
                DataFolder = folder, GatewayUrl = "https://127.0.0.1:9", KeyFile = keyFile,
            }));

            Assert.Contains("device.key", e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
