namespace Terminal.Drivers.Qr
{
    /// <summary>
    /// Error correction level (ISO/IEC 18004:2015 section 5.3.8, Table 12): the share of codewords that can
    /// be restored. Low ~7%, Medium ~15%, Quartile ~25%, High ~30%. The numeric values order the levels by
    /// strength and index the capacity tables; they are NOT the 2-bit format indicators (see QrTables).
    /// </summary>
    public enum QrErrorCorrection
    {
        Low = 0,
        Medium = 1,
        Quartile = 2,
        High = 3,
    }
}
