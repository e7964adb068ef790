namespace Terminal.Gateway.PaymentState;

/// <summary>
/// The statuses a payment or refund row can have, and the one rule every writer obeys: a status only moves forward
/// (docs/gateway.md, "Payment state"). Payments: PENDING (reserved, not answered yet) → PROCESSING (Antom has it, the
/// customer has not paid: an order code) → SUCCESS or FAIL → CANCELLED. Refunds: PENDING → PROCESSING → SUCCESS or FAIL.
/// <list type="bullet">
/// <item>Whatever arrives late or twice (a retried order-code pay answered S after the customer paid, an inquiry answer
/// overtaken by a notification, a resolver's inquiry racing a live answer) cannot move a status back.</item>
/// <item>SUCCESS and FAIL have the same rank: the first one recorded stays, and a contradicting one is reported as a
/// conflict (Antom does not change a final result, so it is a fault to look at, never a silent overwrite).</item>
/// <item>CANCELLED comes only from Antom's own word that the payment is cancelled: a cancel answered S, or an inquiry
/// answering paymentStatus CANCELLED (<see cref="PaymentFacts"/>); a notification or a pay answer never says it. It
/// ranks above SUCCESS and FAIL because a cancel reverses a paid payment (the terminal's void).</item>
/// </list>
/// The store enforces the rule in the UPDATE itself (<see cref="AdvanceSql"/>), so concurrent writers on several
/// instances cannot interleave a read and a write.
/// </summary>
public static class PaymentStatuses
{
    public const string Pending = "PENDING";
    public const string Processing = "PROCESSING";
    public const string Success = "SUCCESS";
    public const string Fail = "FAIL";
    public const string Cancelled = "CANCELLED";

    /// <summary>The statuses of rows that are not final yet (the repair pass visits them; retention keeps them).</summary>
    public const string OpenSql = "('PENDING', 'PROCESSING')";

    /// <summary>Rank of a status; -1 for null or a status the gateway does not know (which never moves anything).</summary>
    public static int Rank(string? status) => status switch
    {
        Pending => 0,
        Processing => 1,
        Success or Fail => 2,
        Cancelled => 3,
        _ => -1,
    };

    public static bool IsFinal(string? status) => Rank(status) >= 2;

    /// <summary>The status after <paramref name="next"/> was learnt about a row in <paramref name="current"/>.</summary>
    public static string Advance(string current, string? next) => Rank(next) > Rank(current) ? next! : current;

    /// <summary>A final status contradicted by another final status of the same rank (SUCCESS against FAIL).</summary>
    public static bool Contradicts(string current, string? next) =>
        next != null && next != current && Rank(next) == Rank(current) && Rank(current) == 2;

    /// <summary>A known status in upper case (one Antom example prints "Success"), or null.</summary>
    public static string? Known(string? status)
    {
        string? upper = status?.ToUpperInvariant();
        return Rank(upper) >= 0 ? upper : null;
    }

    /// <summary>
    /// SQL for <c>SET status = ...</c>: <paramref name="parameter"/> when it ranks above the stored status, else the stored
    /// status. Written once for both providers (CASE and CAST are standard SQL).
    /// </summary>
    public static string AdvanceSql(string parameter) =>
        $"CASE WHEN {RankSql($"CAST({parameter} AS TEXT)")} > {RankSql("status")} THEN CAST({parameter} AS TEXT) ELSE status END";

    /// <summary>SQL that is true when <paramref name="parameter"/> would move the stored status forward.</summary>
    public static string MovesForwardSql(string parameter) => $"{RankSql($"CAST({parameter} AS TEXT)")} > {RankSql("status")}";

    private static string RankSql(string expression) =>
        $"(CASE {expression} WHEN 'PENDING' THEN 0 WHEN 'PROCESSING' THEN 1 WHEN 'SUCCESS' THEN 2 WHEN 'FAIL' THEN 2 WHEN 'CANCELLED' THEN 3 ELSE -1 END)";
}
