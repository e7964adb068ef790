using Terminal.Drivers.Scanner;
using Terminal.Firmware.HostLink;
using Terminal.Host;
using Terminal.Tests.HostLink;
using Xunit;
using Terminal.SimulatedDevices.Scanner;

namespace Terminal.Tests.Scanner;

/// <summary>
/// The drivers over real tty devices: socat links two pseudo-terminals, .NET's System.IO.Ports opens both,
/// the terminal's side runs the portable code, the other side a simulated module or controller.
/// </summary>
public class PtySerialTests
{
    private const string Code = "281012345678901234";

    [PtyFact]
    public void A_triggered_code_crosses_a_real_serial_line()
    {
        using var pty = SocatPtyPair.Start();
        using var hostPort = new SystemSerialPort(pty.HostPath);
        using var devicePort = new SystemSerialPort(pty.DevicePath);
        var module = new Gm65Model(devicePort.Read, devicePort.Write);
        module.Hold(Code);
        using var stop = new CancellationTokenSource();
        var pump = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                module.Pump(20);
            }
        }) { IsBackground = true };
        pump.Start();

        try
        {
            var scanner = new Gm65Scanner(hostPort, () => Environment.TickCount64);
            Assert.Equal(ScannerStatus.Ready, scanner.Configure(ScannerMode.CommandTriggered));

            scanner.Trigger();
            var outcome = ScanOutcome.None;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (outcome == ScanOutcome.None && DateTime.UtcNow < deadline)
            {
                outcome = scanner.Poll(50);
            }

            Assert.Equal(ScanOutcome.Code, outcome);
            Assert.Equal(Code, scanner.CodeToString());
        }
        finally
        {
            stop.Cancel();
            pump.Join(5000);
        }
    }

    [PtyFact]
    public void A_controller_command_crosses_a_real_serial_line()
    {
        using var pty = SocatPtyPair.Start();
        using var terminalPort = new SystemSerialPort(pty.HostPath, 115200);
        using var controllerPort = new SystemSerialPort(pty.DevicePath, 115200);
        var handler = new FakeHostLinkHandler();
        var hostLink = new HostLinkServer(terminalPort, handler);

        byte[] request = Wire.Bytes(Wire.Line("5 SALE 1250 USD CPM A-1001"));
        controllerPort.Write(request, 0, request.Length);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (handler.Calls.Count == 0 && DateTime.UtcNow < deadline)
        {
            hostLink.Poll(50);
        }

        var received = new List<byte>();
        var buffer = new byte[64];
        while (!(received.Count >= 2 && received[^1] == '\n') && DateTime.UtcNow < deadline)
        {
            int n = controllerPort.Read(buffer, 0, buffer.Length, 50);
            received.AddRange(buffer.Take(n));
        }

        Assert.Equal(new[] { "StartSale 1250 USD Cpm A-1001" }, handler.Calls);
        Assert.Equal(new[] { "5 OK SALE A-1001" }, Wire.Bodies(received.ToArray()));
    }
}
