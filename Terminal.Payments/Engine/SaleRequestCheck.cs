using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>Checks a <see cref="SaleRequest"/> before anything is journaled or sent.</summary>
    internal static class SaleRequestCheck
    {
        /// <summary>Largest amount accepted, minor units (well inside Antom's string values and a long).</summary>
        public const long MaxAmountMinor = 999999999999L;

        /// <summary>What is wrong with the request, or null when it is acceptable.</summary>
        public static string Problem(SaleRequest request, string defaultCurrency)
        {
            if (request == null)
            {
                return "no request";
            }

            if (request.Mode != TransactionKind.SaleOrderCode && request.Mode != TransactionKind.SalePaymentCode)
            {
                return "mode must be order code or payment code";
            }

            if (request.AmountMinor <= 0 || request.AmountMinor > MaxAmountMinor)
            {
                return "amount must be 1.." + MaxAmountMinor + " minor units";
            }

            string currency = request.Currency == null ? defaultCurrency : request.Currency;
            if (!IsCurrency(currency) || !Core.Money.Currency.IsKnown(currency))
            {
                return "currency must be a known ISO 4217 code";
            }

            if (request.Reference != null && !IsPrintableAscii(request.Reference, TransactionRecord.IdCapacity))
            {
                return "reference must be printable ASCII, at most 64 characters";
            }

            if (request.Vend)
            {
                if (request.Reference != null && request.Reference.Length > 0)
                {
                    return "a vend carries no reference (each one is a new sale)";
                }

                if (request.VendItem < 0 || request.VendItem > 65535 || request.CreditUnits < 0 || request.CreditUnits > TransactionRecord.MaxCreditUnits)
                {
                    return "vend item must be 0..65535 and credit 0.." + TransactionRecord.MaxCreditUnits + " pulses";
                }
            }

            if (request.Mode == TransactionKind.SalePaymentCode)
            {
                if (request.PaymentCode == null || request.PaymentCode.Length == 0)
                {
                    return "payment code missing";
                }

                if (!IsAlphanumeric(request.PaymentCode, TransactionRecord.IdCapacity))
                {
                    return "payment code must be letters and digits, at most 64";
                }
            }

            return null;
        }

        internal static bool IsCurrency(string currency)
        {
            if (currency == null || currency.Length != 3)
            {
                return false;
            }

            for (int i = 0; i < 3; i++)
            {
                if (currency[i] < 'A' || currency[i] > 'Z')
                {
                    return false;
                }
            }

            return true;
        }

        internal static bool IsPrintableAscii(string text, int maxLength)
        {
            if (text.Length > maxLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < 0x20 || text[i] > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        internal static bool IsAlphanumeric(string text, int maxLength)
        {
            if (text.Length == 0 || text.Length > maxLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
