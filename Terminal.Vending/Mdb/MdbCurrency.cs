namespace Terminal.Vending.Mdb
{
    /// <summary>
    /// MDB's country/currency code is 1 followed by the ISO 4217 numeric code (MDB/ICP 4.x appendix A1: 1840 for
    /// USD, 1978 for EUR). The currencies Antom settles in-store payments in, with their numbers.
    /// </summary>
    public static class MdbCurrency
    {
        private const string Codes = "USD840EUR978GBP826CHF756CNY156HKD344SGD702MYR458THB764PHP608IDR360JPY392KRW410AUD036NZD554CAD124TWD901VND704INR356MOP446";

        /// <summary>The ISO 4217 number of <paramref name="iso"/>, or -1 when it is not in the table.</summary>
        public static int NumericOf(string iso)
        {
            if (iso == null || iso.Length != 3)
            {
                return -1;
            }

            for (int i = 0; i + 6 <= Codes.Length; i += 6)
            {
                if (Codes[i] == iso[0] && Codes[i + 1] == iso[1] && Codes[i + 2] == iso[2])
                {
                    return ((Codes[i + 3] - '0') * 100) + ((Codes[i + 4] - '0') * 10) + (Codes[i + 5] - '0');
                }
            }

            return -1;
        }
    }
}
