namespace Terminal.Payments.Cpm
{
    /// <summary>
    /// The payment-code family an accepted code belongs to (Alipay+ payment code standard; see
    /// docs/antom-protocol.md section 5). Routing to the wallet is Antom's job; this is for logs.
    /// </summary>
    public enum PaymentCodeFormat
    {
        /// <summary>Not a payment code.</summary>
        None = 0,

        /// <summary>24 digits: 6-digit code issuer id, business type <c>02</c> (payment code), 16-digit UIN.</summary>
        AlipayPlus24,

        /// <summary>Legacy 17, 18 or 19 digits starting with 28.</summary>
        Legacy28,

        /// <summary>16-32 digits starting with 25, 26, 27, 28, 29 or 30 (Alipay CN/HK, CGCP codes).</summary>
        Prefix25To30,

        /// <summary>16-32 digits in no known format, accepted because <see cref="PaymentCodeValidator.AcceptUnknownNumeric"/> is on.</summary>
        UnknownNumeric,
    }
}
