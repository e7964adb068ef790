namespace Terminal.Core.Money
{
    /// <summary>
    /// ISO 4217 minor units ("exponent") of the currencies a terminal is likely to meet. Amounts are always
    /// long minor units (Antom sends them as decimal strings: USD 1.00 is "100", JPY 1 is "1").
    /// Codes are matched exactly (three uppercase letters).
    /// </summary>
    public static class Currency
    {
        // ISO 4217 list one, "Minor unit" column. Each row of Codes pairs with the same row of Exponents.
        private static readonly string[] Codes =
        {
            // exponent 0
            "JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "RWF", "XAF", "XOF", "XPF", "KMF", "DJF", "GNF", "VUV",
            // exponent 3
            "KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD",
            // exponent 2
            "USD", "EUR", "CNY", "HKD", "MOP", "TWD", "SGD", "THB", "MYR", "PHP", "IDR", "GBP", "AUD", "NZD",
            "CAD", "CHF", "INR", "PKR", "BDT", "LKR", "NPR", "KHR", "MMK", "LAK", "MNT", "KZT", "SEK", "NOK",
            "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "TRY", "ILS", "AED", "SAR", "QAR", "EGP", "ZAR", "NGN",
            "KES", "MXN", "BRL", "ARS", "COP", "PEN", "RUB", "UAH",
        };

        private const int ZeroCount = 15;
        private const int ThreeCount = 7;

        /// <summary>Decimal places of the currency's minor unit (JPY 0, USD 2, KWD 3), or -1 if unknown.</summary>
        public static int Exponent(string isoCode)
        {
            if (isoCode == null || isoCode.Length != 3)
            {
                return -1;
            }

            for (int i = 0; i < Codes.Length; i++)
            {
                if (Codes[i] == isoCode)
                {
                    return i < ZeroCount ? 0 : i < ZeroCount + ThreeCount ? 3 : 2;
                }
            }

            return -1;
        }

        /// <summary>True if <see cref="Exponent"/> knows the code.</summary>
        public static bool IsKnown(string isoCode)
        {
            return Exponent(isoCode) >= 0;
        }
    }
}
