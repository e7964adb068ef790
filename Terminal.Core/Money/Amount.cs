using System;

namespace Terminal.Core.Money
{
    /// <summary>
    /// Culture-free conversion between long minor units and display text: "12.50 USD", "1000 JPY",
    /// "1.250 KWD". No floating point anywhere (docs/architecture.md section 5).
    /// </summary>
    public static class Amount
    {
        /// <summary>
        /// "12.50 USD" for (1250, "USD"); negatives get a leading '-'. Throws <see cref="ArgumentException"/>
        /// for a currency <see cref="Currency"/> does not know.
        /// </summary>
        public static string Format(long minor, string currency)
        {
            int exponent = Currency.Exponent(currency);
            if (exponent < 0)
            {
                throw new ArgumentException("unknown currency " + (currency == null ? "(null)" : currency), "currency");
            }

            ulong magnitude = minor < 0 ? (ulong)(-(minor + 1)) + 1UL : (ulong)minor;

            // 20 digits, '-', '.', a leading 0 before the point, ' ' and the code.
            char[] chars = new char[28];
            int p = chars.Length;
            for (int i = currency.Length - 1; i >= 0; i--)
            {
                chars[--p] = currency[i];
            }

            chars[--p] = ' ';
            int digits = 0;
            do
            {
                ulong next = magnitude / 10;
                chars[--p] = (char)('0' + (int)(magnitude - (next * 10)));
                magnitude = next;
                digits++;
                if (digits == exponent)
                {
                    if (magnitude == 0)
                    {
                        chars[--p] = '.';
                        chars[--p] = '0';
                        break;
                    }

                    chars[--p] = '.';
                }
            }
            while (magnitude != 0 || digits < exponent);

            if (minor < 0)
            {
                chars[--p] = '-';
            }

            return new string(chars, p, chars.Length - p);
        }

        /// <summary>
        /// Minor units of an amount typed as text ("12.5" USD is 1250). Strict: digits with at most one '.',
        /// no more decimals than the currency has, no sign, no grouping, no inner whitespace (spaces around
        /// the number are ignored), greater than zero and within the long range. Throws
        /// <see cref="AmountFormatException"/> with a plain-language message otherwise.
        /// </summary>
        public static long Parse(string text, string currency)
        {
            long minor;
            string error = TryParseCore(text, currency, out minor);
            if (error != null)
            {
                throw new AmountFormatException(error);
            }

            return minor;
        }

        /// <summary>As <see cref="Parse"/>, returning false instead of throwing.</summary>
        public static bool TryParse(string text, string currency, out long minor)
        {
            return TryParseCore(text, currency, out minor) == null;
        }

        /// <summary>Returns null on success, else the reason the text is not an amount.</summary>
        private static string TryParseCore(string text, string currency, out long minor)
        {
            minor = 0;
            int exponent = Currency.Exponent(currency);
            if (exponent < 0)
            {
                return "unknown currency " + (currency == null ? "(null)" : currency);
            }

            int start = 0;
            int end = text == null ? 0 : text.Length;
            while (start < end && text[start] == ' ')
            {
                start++;
            }

            while (end > start && text[end - 1] == ' ')
            {
                end--;
            }

            if (start == end)
            {
                return "enter an amount";
            }

            long value = 0;
            int point = -1;
            int fractionDigits = 0;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c == '.')
                {
                    if (point >= 0)
                    {
                        return "an amount has at most one '.'";
                    }

                    if (exponent == 0)
                    {
                        return currency + " has no decimals";
                    }

                    if (i == start)
                    {
                        return "put a digit before the '.'";
                    }

                    point = i;
                    continue;
                }

                if (c < '0' || c > '9')
                {
                    if (c == '-' || c == '+')
                    {
                        return "an amount has no sign";
                    }

                    if (c == ',' || c == ' ' || c == '\'' || c == '_')
                    {
                        return "an amount has no grouping separators or spaces";
                    }

                    return "an amount may contain only digits and one '.'";
                }

                if (point >= 0)
                {
                    fractionDigits++;
                    if (fractionDigits > exponent)
                    {
                        return currency + " allows at most " + exponent + (exponent == 1 ? " decimal" : " decimals");
                    }
                }

                if (value > (long.MaxValue - (c - '0')) / 10)
                {
                    return "the amount is too large";
                }

                value = (value * 10) + (c - '0');
            }

            if (point == end - 1)
            {
                return "put digits after the '.'";
            }

            for (int i = fractionDigits; i < exponent; i++)
            {
                if (value > long.MaxValue / 10)
                {
                    return "the amount is too large";
                }

                value *= 10;
            }

            if (value == 0)
            {
                return "the amount must be greater than 0";
            }

            minor = value;
            return null;
        }
    }
}
