namespace Terminal.Transactions
{
    /// <summary>
    /// Result codes the desk assigns to sales that end before the payment engine saw them (prefix TERMINAL_ like
    /// <see cref="Payments.EngineCodes"/>, so they never collide with Antom's).
    /// </summary>
    public static class DeskCodes
    {
        /// <summary>No payment code was scanned in time; nothing was sent.</summary>
        public const string NoCode = "TERMINAL_NO_CODE";
    }
}
