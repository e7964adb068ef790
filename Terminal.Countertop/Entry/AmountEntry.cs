using Terminal.Core.Money;

namespace Terminal.Countertop.Entry
{
    /// <summary>
    /// An amount typed digit by digit in the currency's minor units, like a calculator filling from the right:
    /// in USD the keys 1 2 5 0 read 12.50; in JPY (ISO 4217 exponent 0) they read 1250. A digit that would pass
    /// <see cref="MaxMinor"/> is refused and the amount stays as it was.
    /// </summary>
    public sealed class AmountEntry
    {
        private readonly string _currency;

        public AmountEntry(string currency, long maxMinor)
        {
            _currency = currency;
            MaxMinor = maxMinor;
        }

        public long MaxMinor { get; private set; }

        /// <summary>The amount typed so far in minor units (0 when nothing is typed).</summary>
        public long Minor { get; private set; }

        public bool IsEmpty
        {
            get { return Minor == 0; }
        }

        /// <summary>Appends <paramref name="digit"/> (0..9); false, and no change, when the amount would pass the maximum.</summary>
        public bool Type(int digit)
        {
            if (digit < 0 || digit > 9)
            {
                return false;
            }

            if (Minor > (MaxMinor - digit) / 10)
            {
                return false;
            }

            Minor = (Minor * 10) + digit;
            return true;
        }

        /// <summary>Removes the last digit; false when nothing was typed.</summary>
        public bool Erase()
        {
            if (Minor == 0)
            {
                return false;
            }

            Minor /= 10;
            return true;
        }

        /// <summary>Starts again from nothing, or from <paramref name="minor"/> (e.g. a refund's full amount).</summary>
        public void Reset(long minor)
        {
            Minor = minor < 0 ? 0 : minor > MaxMinor ? MaxMinor : minor;
        }

        /// <summary>"12.50" for 1250 in USD, "0.00" for nothing typed, without the currency code.</summary>
        public string Text()
        {
            return Figures(Minor, _currency);
        }

        /// <summary>The figures of <paramref name="minor"/> in <paramref name="currency"/> without the code ("12.50").</summary>
        public static string Figures(long minor, string currency)
        {
            if (Currency.Exponent(currency) < 0)
            {
                return minor.ToString();
            }

            string text = Amount.Format(minor, currency);
            int space = text.IndexOf(' ');
            return space > 0 ? text.Substring(0, space) : text;
        }
    }
}
