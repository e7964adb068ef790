namespace Terminal.Payments.Cpm
{
    /// <summary>
    /// Decides whether a scanned code is a customer-presented payment code before anything is sent, and
    /// gives a reason the screen can show. Rules (Alipay+ payment code standard, docs/antom-protocol.md section 5):
    /// digits only, 16 to 32 long; accepted formats are the 24-digit code (issuer + <c>02</c> + 16 digits),
    /// the legacy 17/18/19-digit codes starting with 28, and codes starting with 25..30. A web link or text
    /// is named as such, so the cashier knows the customer showed the wrong QR code.
    /// Works on the scanner's byte buffer without allocating.
    /// </summary>
    public sealed class PaymentCodeValidator
    {
        /// <summary>Shortest payment code (digits).</summary>
        public const int MinLength = 16;

        /// <summary>Longest payment code (digits): the standard reserves up to 32 for future formats.</summary>
        public const int MaxLength = 32;

        /// <summary>
        /// Accept 16-32 digit codes in no known format. Antom routes the code to the wallet itself, so a new
        /// wallet's format works without a firmware update; off by default so that a mistaken barcode (an
        /// order number, a gift card) is refused on the spot instead of by the wallet.
        /// </summary>
        public bool AcceptUnknownNumeric { get; set; }

        /// <summary>Checks <paramref name="code"/>; null counts as empty.</summary>
        public PaymentCodeVerdict Validate(string code)
        {
            if (code == null)
            {
                return PaymentCodeVerdict.TooShort;
            }

            byte[] bytes = new byte[code.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                char c = code[i];
                bytes[i] = c < 0x80 ? (byte)c : (byte)0xFF;
            }

            return Validate(bytes, 0, bytes.Length);
        }

        /// <summary>Checks the code in bytes [offset, offset + length) (ASCII, as the scanner delivers it).</summary>
        public PaymentCodeVerdict Validate(byte[] code, int offset, int length)
        {
            CheckRange(code, offset, length);
            if (length == 0)
            {
                return PaymentCodeVerdict.TooShort;
            }

            if (LooksLikeUrl(code, offset, length))
            {
                return PaymentCodeVerdict.LooksLikeUrl;
            }

            int digits = 0;
            bool wordLike = false;
            for (int i = offset; i < offset + length; i++)
            {
                byte b = code[i];
                if (IsDigit(b))
                {
                    digits++;
                }
                else if (IsLetter(b) || b == (byte)' ')
                {
                    wordLike = true;
                }
            }

            if (digits < length)
            {
                // Mostly digits with a few stray characters reads as a damaged number, not as text.
                bool mostlyDigits = digits * 5 >= length * 4;
                return wordLike && !mostlyDigits ? PaymentCodeVerdict.LooksLikeText : PaymentCodeVerdict.NotDigits;
            }

            if (length < MinLength)
            {
                return PaymentCodeVerdict.TooShort;
            }

            if (length > MaxLength)
            {
                return PaymentCodeVerdict.TooLong;
            }

            if (FormatOfDigits(code, offset, length) != PaymentCodeFormat.None || AcceptUnknownNumeric)
            {
                return PaymentCodeVerdict.Ok;
            }

            return PaymentCodeVerdict.UnknownPrefix;
        }

        /// <summary>
        /// The format of an accepted code: <see cref="PaymentCodeFormat.UnknownNumeric"/> for an unknown one
        /// accepted by the option, <see cref="PaymentCodeFormat.None"/> when <see cref="Validate(byte[],int,int)"/> refuses it.
        /// </summary>
        public PaymentCodeFormat FormatOf(byte[] code, int offset, int length)
        {
            if (Validate(code, offset, length) != PaymentCodeVerdict.Ok)
            {
                return PaymentCodeFormat.None;
            }

            PaymentCodeFormat format = FormatOfDigits(code, offset, length);
            return format == PaymentCodeFormat.None ? PaymentCodeFormat.UnknownNumeric : format;
        }

        /// <summary>A short sentence for the screen (and the host link) saying what the verdict means.</summary>
        public static string Message(PaymentCodeVerdict verdict)
        {
            switch (verdict)
            {
                case PaymentCodeVerdict.Ok:
                    return "Payment code read";
                case PaymentCodeVerdict.NotDigits:
                    return "Not a payment code: it has characters other than digits";
                case PaymentCodeVerdict.TooShort:
                    return "Too short for a payment code";
                case PaymentCodeVerdict.TooLong:
                    return "Too long for a payment code";
                case PaymentCodeVerdict.UnknownPrefix:
                    return "Payment code not recognised";
                case PaymentCodeVerdict.LooksLikeUrl:
                    return "This is a web link, not a payment code";
                case PaymentCodeVerdict.LooksLikeText:
                    return "This is text, not a payment code";
                default:
                    return "Not a payment code";
            }
        }

        // Known formats of an all-digit code of valid length.
        private static PaymentCodeFormat FormatOfDigits(byte[] code, int offset, int length)
        {
            if (length == 24 && code[offset + 6] == (byte)'0' && code[offset + 7] == (byte)'2')
            {
                return PaymentCodeFormat.AlipayPlus24;
            }

            int prefix = ((code[offset] - '0') * 10) + (code[offset + 1] - '0');
            if (prefix == 28 && length >= 17 && length <= 19)
            {
                return PaymentCodeFormat.Legacy28;
            }

            if (prefix >= 25 && prefix <= 30)
            {
                return PaymentCodeFormat.Prefix25To30;
            }

            return PaymentCodeFormat.None;
        }

        // "scheme://" with a scheme of 2+ letters/digits/+.- starting with a letter, or "www.".
        private static bool LooksLikeUrl(byte[] code, int offset, int length)
        {
            if (length >= 4 && Lower(code[offset]) == 'w' && Lower(code[offset + 1]) == 'w'
                && Lower(code[offset + 2]) == 'w' && code[offset + 3] == (byte)'.')
            {
                return true;
            }

            if (!IsLetter(code[offset]))
            {
                return false;
            }

            for (int i = offset + 1; i < offset + length; i++)
            {
                byte b = code[i];
                if (b == (byte)':')
                {
                    return i - offset >= 2 && i + 2 < offset + length
                        && code[i + 1] == (byte)'/' && code[i + 2] == (byte)'/';
                }

                if (!IsLetter(b) && !IsDigit(b) && b != (byte)'+' && b != (byte)'.' && b != (byte)'-')
                {
                    return false;
                }
            }

            return false;
        }

        private static bool IsDigit(byte b)
        {
            return b >= (byte)'0' && b <= (byte)'9';
        }

        private static bool IsLetter(byte b)
        {
            return (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z');
        }

        private static int Lower(byte b)
        {
            return b >= (byte)'A' && b <= (byte)'Z' ? b + 32 : b;
        }

        private static void CheckRange(byte[] code, int offset, int length)
        {
            if (code == null)
            {
                throw new System.ArgumentNullException("code");
            }

            if (offset < 0 || length < 0 || offset > code.Length - length)
            {
                throw new System.ArgumentOutOfRangeException("length", "range " + offset + "+" + length + " outside a " + code.Length + "-byte buffer");
            }
        }
    }
}
