using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Firmware.Config;
using Terminal.Firmware.HostLink;
using Terminal.SimulatedDevices.Mdb;
using Terminal.SimulatedDevices.Pulse;
using Terminal.Simulator.Hardware;
using Terminal.Vending.Config;

namespace Terminal.Simulator.Devices;

/// <summary>
/// The machine the terminal is built into with <c>--vending</c> (docs/vending.md, docs/simulator.md): a coin-op
/// machine's coin input (the strict <see cref="CoinInputModel"/>) behind the pulse GPIO, or a vending machine whose
/// controller (<see cref="VmcSimulator"/>) drives the Qibixx bridge model on the other end of the terminal's bridge
/// UART. The machine has its own supply: a power cut of the terminal ends a pulse in flight and leaves the bridge
/// and the controller running.
/// </summary>
public sealed class SimulatedMachine : IDisposable
{
    private readonly SerialPipe? _bridgeCable;

    private SimulatedMachine(VendingSection config, ILog log, Action<string> told)
    {
        if (config.IsPulse)
        {
            Coins = new CoinInputModel(config.PulseLevel == VendingSection.High)
            {
                ProtocolErrorSeen = problem => log.Write(LogLevel.Error, "simulated coin input misread a pulse: " + problem),
                PulseCounted = total => told("machine: coin pulse counted (" + total + " since start)"),
            };
            return;
        }

        _bridgeCable = new SerialPipe();
        Bridge = new QibixxBridgeModel(_bridgeCable.B.Read, _bridgeCable.B.Write)
        {
            ProtocolErrorSeen = problem => log.Write(LogLevel.Error, "simulated MDB bridge refused a command: " + problem),
        };
        Controller = new VmcSimulator(Bridge) { EventSeen = what => told("machine (MDB): " + what) };
        Bridge.StartThread();
        Controller.StartThread();
    }

    /// <summary>Pulse mode: the machine's coin input.</summary>
    public CoinInputModel? Coins { get; }

    /// <summary>MDB mode: the bridge between the terminal's UART and the bus.</summary>
    public QibixxBridgeModel? Bridge { get; }

    /// <summary>MDB mode: the machine's controller (a customer's selection goes through <see cref="VmcSimulator.Select"/>).</summary>
    public VmcSimulator? Controller { get; }

    /// <summary>The terminal's end of the bridge UART (MDB mode).</summary>
    public ISerialPort? BridgePort => _bridgeCable?.A;

    /// <summary>The GPIO into the coin input (pulse mode).</summary>
    public IDigitalOutput? PulseLine => Coins == null ? null : new CoinLine(Coins);

    /// <summary>The machine <paramref name="config"/> asks for, or null when vending is off.</summary>
    /// <param name="told">Where the machine's events go (the console).</param>
    public static SimulatedMachine? For(TerminalConfig config, ILog log, Action<string> told) =>
        config.Vending.IsPulse || config.Vending.IsMdb ? new SimulatedMachine(config.Vending, log, told) : null;

    /// <summary>
    /// Sets <c>--vending pulse|mdb</c> on a configuration read from terminal.json, as a technician would write the
    /// keys (docs/configuration.md): a 2.00 price credited as two pulses of 1.00 on GPIO25; or an MDB cashless device
    /// (host link off, the bridge on COM3) whose sessions offer 10.00 and whose machine waits 60 s for an answer.
    /// </summary>
    public static void Configure(TerminalConfig config, string mode)
    {
        VendingSection v = config.Vending;
        if (mode == VendingSection.Pulse)
        {
            v.Mode = VendingSection.Pulse;
            v.PulsePin = 25;
            v.Price = 200;
            v.PulseValue = 100;
        }
        else
        {
            v.Mode = VendingSection.Mdb;
            v.MaxPrice = 1000;
            v.MdbResponseTimeS = 60;
            v.MdbVendTimeoutMs = 10000;
            config.HostLink.Mode = HostLinkSection.Off;
        }

        v.Check();
    }

    /// <summary>The terminal lost power: the optocoupler goes dark at once.</summary>
    public void TerminalPowerCut() => Coins?.PowerCut();

    public void Dispose()
    {
        Controller?.Dispose();
        Bridge?.Dispose();
    }

    private sealed class CoinLine(CoinInputModel coins) : IDigitalOutput
    {
        public void Write(bool high) => coins.Write(high);
    }
}
