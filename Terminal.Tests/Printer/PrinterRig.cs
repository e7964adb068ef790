using Terminal.Drivers.Printer;
using Terminal.SimulatedDevices.Printer;
using Terminal.Tests.Scanner;
using Terminal.Tests.Support;

namespace Terminal.Tests.Printer;

/// <summary>The ESC/POS driver on an in-memory UART whose far end is the printer model (answering at once).</summary>
internal sealed class PrinterRig
{
    public PrinterRig()
    {
        Line = new InMemorySerialPair(Clock);
        Model = new EscPosPrinterModel(Line.B.Read, Line.B.Write);
        Line.B.Written = () => Model.Pump();
        Driver = new EscPosPrinter(Line.A);
    }

    public FakeClock Clock { get; } = new();

    public InMemorySerialPair Line { get; }

    public EscPosPrinterModel Model { get; }

    public EscPosPrinter Driver { get; }

    /// <summary>Asks for the status and polls until decided (the fake clock moves 1 ms per poll).</summary>
    public PrinterState Status()
    {
        Driver.RequestStatus(Clock.Mono);
        while (!Driver.PollStatus(Clock.Mono))
        {
            Clock.Advance(1);
        }

        return Driver.State;
    }
}
