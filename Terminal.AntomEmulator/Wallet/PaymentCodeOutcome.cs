namespace Terminal.AntomEmulator;

/// <summary>What the simulated customer's wallet does when its payment code is charged.</summary>
public enum PaymentCodeOutcomeKind
{
    /// <summary>pay answers S/SUCCESS at once.</summary>
    Success,
    /// <summary>pay answers U/PAYMENT_IN_PROCESS; the payment stays PROCESSING until
    /// <see cref="EmulatorWallet.ConfirmPaymentCode"/>, <see cref="EmulatorWallet.DeclinePaymentCode"/> or expiry.</summary>
    RequiresConfirmation,
    /// <summary>pay answers F with <see cref="PaymentCodeOutcome.DeclineCode"/> at once.</summary>
    Decline,
}

/// <summary>The outcome of charging a payment code: <see cref="Success"/>, <see cref="RequiresConfirmation"/> or <see cref="Decline"/>.</summary>
public sealed record PaymentCodeOutcome
{
    private PaymentCodeOutcome(PaymentCodeOutcomeKind kind, string? declineCode)
    {
        Kind = kind;
        DeclineCode = declineCode;
    }

    /// <summary>Paid at once.</summary>
    public static PaymentCodeOutcome Success { get; } = new(PaymentCodeOutcomeKind.Success, null);

    /// <summary>The customer must confirm in the wallet first (PAYMENT_IN_PROCESS).</summary>
    public static PaymentCodeOutcome RequiresConfirmation { get; } = new(PaymentCodeOutcomeKind.RequiresConfirmation, null);

    /// <summary>What happens.</summary>
    public PaymentCodeOutcomeKind Kind { get; }

    /// <summary>For <see cref="PaymentCodeOutcomeKind.Decline"/>: the result code, e.g. USER_BALANCE_NOT_ENOUGH.</summary>
    public string? DeclineCode { get; }

    /// <summary>Declined at once with <paramref name="resultCode"/> (capital letters and '_').</summary>
    public static PaymentCodeOutcome Decline(string resultCode = ResultCodes.UserBalanceNotEnough) =>
        new(PaymentCodeOutcomeKind.Decline, ValidResultCode(resultCode));

    internal static PaymentCodeOutcome From(PaymentCodeOutcomeKind kind, string? declineCode) => kind switch
    {
        PaymentCodeOutcomeKind.Success => Success,
        PaymentCodeOutcomeKind.RequiresConfirmation => RequiresConfirmation,
        _ => Decline(declineCode ?? ResultCodes.UserBalanceNotEnough),
    };

    internal static string ValidResultCode(string resultCode)
    {
        ArgumentException.ThrowIfNullOrEmpty(resultCode);
        foreach (char c in resultCode)
        {
            if (!char.IsAsciiLetterUpper(c) && c != '_' && !char.IsAsciiDigit(c))
            {
                throw new ArgumentException($"result code '{resultCode}' must be capital letters, digits and '_'", nameof(resultCode));
            }
        }

        return resultCode;
    }
}
