using Terminal.Transactions;

namespace Terminal.Countertop.Entry
{
    /// <summary>
    /// Starts the sale of an amount typed at the keypad in place of the countertop's own either-way sale: on a
    /// vending machine, the vending front end's vend (a coin-op machine's <c>PulseVending.RequestVend</c>), which
    /// refuses before anything is charged an amount the machine cannot be credited.
    /// </summary>
    public delegate DeskAnswer AmountSale(long amountMinor, out string detail);
}
