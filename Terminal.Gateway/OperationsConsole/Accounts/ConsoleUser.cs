namespace Terminal.Gateway.OperationsConsole.Accounts;

/// <summary>A console account as stored (table console_users). The hash is the PasswordHasher's text; never shown or logged.</summary>
public sealed record ConsoleUser(
    string Username,
    string Role,
    string PasswordHash,
    string Stamp,
    bool Disabled,
    int FailedLogins,
    long? LockedUntil,
    long? LastLoginAt,
    long CreatedAt)
{
    public bool IsLocked(long nowMs) => LockedUntil is long until && until > nowMs;
}

/// <summary>How a login attempt ended.</summary>
public enum LoginOutcome
{
    Success,
    WrongCredentials,
    LockedOut,
    Disabled,
}

/// <summary>The result of a login attempt: the outcome, the account on success, and when a lockout ends.</summary>
public sealed record LoginResult(LoginOutcome Outcome, ConsoleUser? User, long? LockedUntil);
