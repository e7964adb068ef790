using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Audit;

/// <summary>One console action as the audit keeps it.</summary>
public sealed record AuditEntry(long Id, long At, string Username, string Action, string? Subject, string? Detail, string? Address);

/// <summary>
/// The console's audit trail (table console_audit): every login, failed login, refund, settings change, revocation,
/// key rotation, retried or closed exception, day export, reconciliation and refusal, with who, when, on what, and
/// from which address. Append-only: nothing in the gateway updates or deletes a row. Listed newest first with keyset
/// paging (<see cref="ListAsync"/>).
/// </summary>
public sealed class AuditLog(GatewayDatabase database, TimeProvider clock)
{
    public const string Login = "login";
    public const string LoginFailed = "login_failed";
    public const string LoginLocked = "login_locked";
    public const string Logout = "logout";
    public const string Refund = "refund";
    public const string RefundRefused = "refund_refused";
    public const string Settings = "settings";
    public const string Revoke = "revoke";
    public const string RotateKey = "rotate_key";
    public const string AccessDenied = "access_denied";
    public const string ResolutionRetry = "resolution_retry";
    public const string ResolutionClose = "resolution_close";
    public const string DayExport = "day_export";
    public const string Reconcile = "reconcile";

    public async Task WriteAsync(string username, string action, string? subject, string? detail, string? address, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "INSERT INTO console_audit (at, username, action, subject, detail, address) VALUES (@at, @u, @a, @s, @d, @ip)",
            ("at", clock.GetUtcNow().ToUnixTimeMilliseconds()), ("u", Clip(username, 64)), ("a", action), ("s", subject == null ? null : Clip(subject, 128)),
            ("d", detail == null ? null : Clip(detail, 1000)), ("ip", address)).ConfigureAwait(false);
    }

    /// <summary>Newest first, <paramref name="limit"/> rows older than id <paramref name="beforeId"/>; optionally one user's or one subject's.</summary>
    public async Task<List<AuditEntry>> ListAsync(long? beforeId, int limit, string? username = null, string? subject = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string where = "WHERE 1 = 1";
        if (beforeId != null) where += " AND id < @before";
        if (!string.IsNullOrEmpty(username)) where += " AND username = @u";
        if (!string.IsNullOrEmpty(subject)) where += " AND subject = @s";
        return await Sql.QueryAsync(connection, null,
            $"SELECT id, at, username, action, subject, detail, address FROM console_audit {where} ORDER BY id DESC LIMIT @n",
            Read, ("before", beforeId), ("u", username), ("s", subject), ("n", (long)limit)).ConfigureAwait(false);
    }

    /// <summary>The entries about any of <paramref name="subjects"/>, oldest first (a transaction's timeline).</summary>
    public async Task<List<AuditEntry>> AboutAsync(IReadOnlyList<string> subjects, CancellationToken ct = default)
    {
        if (subjects.Count == 0) return [];
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var names = subjects.Select((_, i) => "@s" + i).ToArray();
        var parameters = subjects.Select((s, i) => ("s" + i, (object?)s)).ToArray();
        return await Sql.QueryAsync(connection, null,
            $"SELECT id, at, username, action, subject, detail, address FROM console_audit WHERE subject IN ({string.Join(", ", names)}) ORDER BY id",
            Read, parameters).ConfigureAwait(false);
    }

    private static AuditEntry Read(System.Data.Common.DbDataReader r) =>
        new(Sql.LongOr0(r, 0), Sql.LongOr0(r, 1), r.GetString(2), r.GetString(3), Sql.Text(r, 4), Sql.Text(r, 5), Sql.Text(r, 6));

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
