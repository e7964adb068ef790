using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Accounts;

/// <summary>
/// Console accounts in the gateway's database: created by the <c>users</c> CLI (or the embedded host), checked at
/// login with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000 iterations, salted:
/// format v3), locked for <see cref="LockoutMinutes"/> after <see cref="MaxFailedLogins"/> wrong passwords in a row.
/// A wrong name costs as much as a wrong password (a hash is verified either way), so names cannot be probed by timing.
/// </summary>
public sealed class ConsoleUsers(GatewayDatabase database, TimeProvider clock)
{
    public const int MaxFailedLogins = 5;
    public const int LockoutMinutes = 15;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 256;

    private static readonly PasswordHasher<ConsoleUser> Hasher = new();

    /// <summary>A hash of a random password, verified when the name is unknown so the answer takes as long.</summary>
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Why <paramref name="username"/> cannot name an account ("letters, digits, . _ -, 1 to 64"), or null.</summary>
    public static string? CheckUsername(string? username) =>
        username is { Length: > 0 and <= 64 } && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? null
            : "username: 1 to 64 letters, digits or . _ - @";

    public static string? CheckPassword(string? password) =>
        password == null || password.Length < MinPasswordLength ? $"password: at least {MinPasswordLength} characters"
        : password.Length > MaxPasswordLength ? $"password: at most {MaxPasswordLength} characters"
        : null;

    /// <summary>Creates an account; throws <see cref="ArgumentException"/> for a bad field or a name already taken.</summary>
    public async Task<ConsoleUser> AddAsync(string username, string role, string password, CancellationToken ct = default)
    {
        string name = username.Trim().ToLowerInvariant();
        string? problem = CheckUsername(name) ?? (ConsoleRoles.IsRole(role) ? null : "role: operator, technician or viewer") ?? CheckPassword(password);
        if (problem != null) throw new ArgumentException(problem);
        long now = Now;
        string hash = Hasher.HashPassword(null!, password);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, null,
            "INSERT INTO console_users (username, role, password_hash, stamp, created_at, updated_at) VALUES (@u, @r, @h, @s, @now, @now) ON CONFLICT (username) DO NOTHING",
            ("u", name), ("r", role), ("h", hash), ("s", NewStamp()), ("now", now)).ConfigureAwait(false);
        if (n == 0) throw new ArgumentException($"username: '{name}' exists");
        return (await FindAsync(name, ct).ConfigureAwait(false))!;
    }

    public async Task<ConsoleUser?> FindAsync(string username, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, Select + " WHERE username = @u", Read, ("u", username.Trim().ToLowerInvariant())).ConfigureAwait(false);
    }

    public async Task<List<ConsoleUser>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, Select + " ORDER BY username", Read).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a login. A locked account is refused without looking at the password (a correct guess during the lockout
    /// gains nothing); each wrong password counts, and the <see cref="MaxFailedLogins"/>th locks the account. The
    /// counter is updated in the statement itself, so concurrent attempts (or several gateway instances) all count.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string username, string password, CancellationToken ct = default)
    {
        long now = Now;
        var user = CheckUsername(username?.Trim().ToLowerInvariant()) == null ? await FindAsync(username!, ct).ConfigureAwait(false) : null;
        if (user == null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? "");
            return new LoginResult(LoginOutcome.WrongCredentials, null, null);
        }
        if (user.IsLocked(now)) return new LoginResult(LoginOutcome.LockedOut, null, user.LockedUntil);
        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var locked = await Sql.QueryAsync(connection, null,
                "UPDATE console_users SET failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failed_logins + 1 END, " +
                "locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= @now THEN 1 ELSE failed_logins + 1 END) >= @max THEN @until ELSE NULL END, " +
                "updated_at = @now WHERE username = @u RETURNING locked_until",
                r => Sql.Long(r, 0), ("now", now), ("max", (long)MaxFailedLogins), ("until", now + LockoutMinutes * 60_000L), ("u", user.Username)).ConfigureAwait(false);
            long? until = locked.Count > 0 ? locked[0] : null;
            return new LoginResult(until != null ? LoginOutcome.LockedOut : LoginOutcome.WrongCredentials, null, until);
        }
        if (user.Disabled) return new LoginResult(LoginOutcome.Disabled, null, null);
        string? rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user, password!) : null;
        await Sql.ExecAsync(connection, null,
            "UPDATE console_users SET failed_logins = 0, locked_until = NULL, last_login_at = @now, password_hash = COALESCE(@h, password_hash), updated_at = @now WHERE username = @u",
            ("now", now), ("h", rehash), ("u", user.Username)).ConfigureAwait(false);
        return new LoginResult(LoginOutcome.Success, user, null);
    }

    /// <summary>Whether <paramref name="password"/> is the account's, without counting a failure or signing in (the simulator
    /// checks the password it kept).</summary>
    public async Task<bool> PasswordMatchesAsync(string username, string password, CancellationToken ct = default)
    {
        var user = await FindAsync(username, ct).ConfigureAwait(false);
        return user != null && Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>New password (and a new stamp: the account's open sessions end). False for an unknown name.</summary>
    public async Task<bool> SetPasswordAsync(string username, string password, CancellationToken ct = default)
    {
        string? problem = CheckPassword(password);
        if (problem != null) throw new ArgumentException(problem);
        return await UpdateAsync("password_hash = @v, failed_logins = 0, locked_until = NULL", username, Hasher.HashPassword(null!, password), ct).ConfigureAwait(false);
    }

    public async Task<bool> SetRoleAsync(string username, string role, CancellationToken ct = default)
    {
        if (!ConsoleRoles.IsRole(role)) throw new ArgumentException("role: operator, technician or viewer");
        return await UpdateAsync("role = @v", username, role, ct).ConfigureAwait(false);
    }

    public Task<bool> UnlockAsync(string username, CancellationToken ct = default) => UpdateAsync("failed_logins = 0, locked_until = CAST(@v AS BIGINT)", username, null, ct);

    public Task<bool> SetDisabledAsync(string username, bool disabled, CancellationToken ct = default) =>
        UpdateAsync("disabled = CAST(@v AS BIGINT)", username, disabled ? 1L : 0L, ct);

    private async Task<bool> UpdateAsync(string set, string username, object? value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.ExecAsync(connection, null, $"UPDATE console_users SET {set}, stamp = @s, updated_at = @now WHERE username = @u",
            ("v", value), ("s", NewStamp()), ("now", Now), ("u", username.Trim().ToLowerInvariant())).ConfigureAwait(false) > 0;
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private const string Select =
        "SELECT username, role, password_hash, stamp, disabled, failed_logins, locked_until, last_login_at, created_at FROM console_users";

    private static ConsoleUser Read(System.Data.Common.DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4) != 0, (int)Sql.LongOr0(r, 5), Sql.Long(r, 6), Sql.Long(r, 7), Sql.LongOr0(r, 8));
}
