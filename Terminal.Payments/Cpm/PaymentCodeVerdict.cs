namespace Terminal.Payments.Cpm
{
    /// <summary>Whether a scanned code may be sent as a customer-presented payment code, and if not, why.</summary>
    public enum PaymentCodeVerdict
    {
        /// <summary>A payment code: send it.</summary>
        Ok = 0,

        /// <summary>Mostly digits, but with other characters (spaces, dashes, a stray letter).</summary>
        NotDigits,

        /// <summary>All digits, fewer than 16 (or nothing at all).</summary>
        TooShort,

        /// <summary>All digits, more than 32.</summary>
        TooLong,

        /// <summary>16-32 digits in none of the known formats, and unknown numeric codes are not accepted.</summary>
        UnknownPrefix,

        /// <summary>A web link (<c>https://...</c>, <c>www...</c>), e.g. a merchant or shop QR scanned by mistake.</summary>
        LooksLikeUrl,

        /// <summary>Words or other text.</summary>
        LooksLikeText,
    }
}
