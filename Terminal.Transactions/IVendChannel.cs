using Terminal.Payments.Engine;

namespace Terminal.Transactions
{
    /// <summary>
    /// Where a paid vend's goods or credit go: the pulse output of a coin-op machine or the MDB cashless session of
    /// a vending machine (Terminal.Vending). The desk's worker calls it for every paid vend that is not settled:
    /// right after the vend's payment (the desk stays busy until it returns) and after boot recovery. It moves the
    /// vend on through the <see cref="VendLedger"/>, journaling each step before the action it allows, and returns
    /// once the vend is settled (vended, refunded, or flagged for review).
    /// </summary>
    public interface IVendChannel
    {
        /// <param name="ledger">The vend in hand and the steps that settle it.</param>
        /// <param name="afterRestart">True after a power cut or crash: the machine's side of the vend is gone.</param>
        void Settle(VendLedger ledger, bool afterRestart);
    }
}
