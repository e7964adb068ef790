using System.Globalization;
using Terminal.Simulator.Devices;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// The chaos run's cashier at the keypad. A cashier looks at the screen before typing: while boot recovery finishes
/// what a power cut left open the desk is busy and refuses every key, so an amount typed then is lost and the sale
/// never starts. Each sale and menu refund is therefore typed once the desk is idle (a previous sale's result may
/// still show: C acknowledges it first).
/// </summary>
public sealed class KeypadCashier(SimulatedTerminal terminal, int waitMs)
{
    /// <summary>Types <paramref name="amountMinor"/> and OK once the desk is idle; false if it never became idle
    /// within the wait (the keys are typed anyway, and refused).</summary>
    public bool StartSale(long amountMinor) => TypeWhenIdle("C" + amountMinor.ToString(CultureInfo.InvariantCulture) + "A");

    /// <summary>The merchant refunds the newest sale from the menu: C, menu key, PIN, OK, 1 (refund), OK (the newest
    /// sale), the amount unless <paramref name="whole"/>, OK.</summary>
    public bool RefundNewestSale(long amountMinor, bool whole) =>
        TypeWhenIdle("CD" + SimulatedTerminal.DefaultMenuPin + "A1A" + (whole ? "" : amountMinor.ToString(CultureInfo.InvariantCulture)) + "A");

    /// <summary>Clears the result from the screen once the transaction is over (C: acknowledge; at idle it only clears the amount).</summary>
    public bool Acknowledge() => TypeWhenIdle("C");

    private bool TypeWhenIdle(string keys)
    {
        bool idle = terminal.WaitIdle(waitMs);
        terminal.Type(keys);
        return idle;
    }
}
