namespace Terminal.Gateway.OperationsConsole.Accounts;

/// <summary>
/// The console's three roles (docs/console.md, "Roles"): an operator may do everything, a technician looks after the
/// fleet and its settings but cannot refund, a viewer reads. Each page and form names the policy it needs.
/// </summary>
public static class ConsoleRoles
{
    public const string Operator = "operator";
    public const string Technician = "technician";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Operator, Technician, Viewer];

    /// <summary>Policy: refunds and user-facing money actions (operator only).</summary>
    public const string CanRefund = "console-refund";

    /// <summary>Policy: settings, revoke and key rotation (operator or technician).</summary>
    public const string CanManageFleet = "console-fleet";

    public static bool IsRole(string? role) => role != null && All.Contains(role, StringComparer.Ordinal);

    public static bool MayRefund(string? role) => role == Operator;

    public static bool MayManageFleet(string? role) => role is Operator or Technician;

    /// <summary>
    /// Sending an exception of the resolution queue back to the job (operator or technician): it only runs again what
    /// the job does by itself, e.g. once Antom is reachable again, which is a technician's matter as much as anyone's.
    /// </summary>
    public static bool MayRetryResolution(string? role) => role is Operator or Technician;

    /// <summary>
    /// Closing a resolution item with an outcome (operator only): it tells the terminal and the books whether the customer
    /// paid, a decision about money like a refund, so a technician (no refunds) may not make it.
    /// </summary>
    public static bool MayCloseResolution(string? role) => role == Operator;
}
