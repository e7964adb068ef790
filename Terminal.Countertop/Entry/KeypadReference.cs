namespace Terminal.Countertop.Entry
{
    /// <summary>
    /// The register reference of a sale typed at the keypad: <c>KP-</c> and the journal's transaction number, printed
    /// on the receipt; the merchant menu finds a sale to refund by that number.
    /// </summary>
    public static class KeypadReference
    {
        public const string Prefix = "KP-";
    }
}
