using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>Console accounts on both databases: standard hashes, lockout counted in the database, stamps that end sessions, the users CLI.</summary>
public sealed class ConsoleAccountsTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes_and_a_success_resets_the_count(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new ManualClock(DateTimeOffset.Parse("2026-03-12T10:00:00Z"));
        await using var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await Migrator.MigrateAsync(database, 0);
        var users = new ConsoleUsers(database, clock);
        var alice = await users.AddAsync("Alice", ConsoleRoles.Operator, "a long enough password");
        Assert.Equal("alice", alice.Username);
        Assert.StartsWith("AQAAAA", alice.PasswordHash); // PasswordHasher format v3: PBKDF2, salted
        Assert.DoesNotContain("a long enough password", alice.PasswordHash);

        Assert.Equal(LoginOutcome.WrongCredentials, (await users.LoginAsync("alice", "wrong 1")).Outcome);
        Assert.Equal(LoginOutcome.Success, (await users.LoginAsync("ALICE", "a long enough password")).Outcome);
        Assert.Equal(0, (await users.FindAsync("alice"))!.FailedLogins); // a success resets the count

        for (int i = 1; i < ConsoleUsers.MaxFailedLogins; i++) Assert.Equal(LoginOutcome.WrongCredentials, (await users.LoginAsync("alice", "wrong " + i)).Outcome);
        var locked = await users.LoginAsync("alice", "wrong 5");
        Assert.Equal(LoginOutcome.LockedOut, locked.Outcome);
        Assert.Equal(clock.GetUtcNow().AddMinutes(ConsoleUsers.LockoutMinutes).ToUnixTimeMilliseconds(), locked.LockedUntil);
        Assert.Equal(LoginOutcome.LockedOut, (await users.LoginAsync("alice", "a long enough password")).Outcome);

        clock.Advance(TimeSpan.FromMinutes(ConsoleUsers.LockoutMinutes) + TimeSpan.FromSeconds(1));
        Assert.Equal(LoginOutcome.WrongCredentials, (await users.LoginAsync("alice", "wrong again")).Outcome); // a fresh count after the lockout
        Assert.Equal(1, (await users.FindAsync("alice"))!.FailedLogins);
        Assert.Equal(LoginOutcome.Success, (await users.LoginAsync("alice", "a long enough password")).Outcome);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Unknown_names_disabled_accounts_and_changes_that_end_sessions(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await Migrator.MigrateAsync(database, 0);
        var users = new ConsoleUsers(database, TimeProvider.System);
        var bob = await users.AddAsync("bob", ConsoleRoles.Viewer, "bob's long password");
        Assert.Equal(LoginOutcome.WrongCredentials, (await users.LoginAsync("nobody", "bob's long password")).Outcome);
        Assert.Throws<ArgumentException>(() => users.AddAsync("bob", ConsoleRoles.Viewer, "another long password").GetAwaiter().GetResult());
        Assert.Throws<ArgumentException>(() => users.AddAsync("carol", "admin", "another long password").GetAwaiter().GetResult());
        Assert.Throws<ArgumentException>(() => users.AddAsync("carol", ConsoleRoles.Viewer, "short").GetAwaiter().GetResult());
        Assert.Throws<ArgumentException>(() => users.AddAsync("<carol>", ConsoleRoles.Viewer, "another long password").GetAwaiter().GetResult());

        Assert.True(await users.SetRoleAsync("bob", ConsoleRoles.Technician));
        var changed = (await users.FindAsync("bob"))!;
        Assert.NotEqual(bob.Stamp, changed.Stamp); // the session cookie names the old stamp: it ends
        Assert.True(await users.SetDisabledAsync("bob", true));
        Assert.Equal(LoginOutcome.Disabled, (await users.LoginAsync("bob", "bob's long password")).Outcome);
        Assert.True(await users.SetDisabledAsync("bob", false));
        Assert.True(await users.SetPasswordAsync("bob", "bob's new long password"));
        Assert.Equal(LoginOutcome.WrongCredentials, (await users.LoginAsync("bob", "bob's long password")).Outcome);
        Assert.Equal(LoginOutcome.Success, (await users.LoginAsync("bob", "bob's new long password")).Outcome);
        Assert.False(await users.UnlockAsync("nobody"));
    }

    [Fact]
    public async Task The_users_cli_reads_the_password_from_standard_input_and_never_prints_it()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var options = new GatewayOptions
        {
            KeyEncryptionKey = TestKeys.KeyEncryptionKey,
            Database = new DatabaseOptions { Provider = db.Provider, ConnectionString = db.ConnectionString },
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await Terminal.Gateway.Cli.UsersCommand.RunAsync(["add", "Olivia", "--role", "operator"], options, new StringReader("the operator's password\n"), stdout, stderr);
        Assert.Equal((0, ""), (code, stderr.ToString()));
        Assert.Contains("\"username\":\"olivia\"", stdout.ToString());
        Assert.DoesNotContain("password", stdout.ToString());

        stdout = new StringWriter();
        code = await Terminal.Gateway.Cli.UsersCommand.RunAsync(["add", "x", "--role", "operator"], options, new StringReader("short\n"), stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("at least 12 characters", stderr.ToString());

        stdout = new StringWriter();
        Assert.Equal(0, await Terminal.Gateway.Cli.UsersCommand.RunAsync(["list"], options, new StringReader(""), stdout, stderr));
        Assert.Contains("\"role\":\"operator\"", stdout.ToString());
        Assert.DoesNotContain("AQAAAA", stdout.ToString()); // no hash either
        Assert.Equal(1, await Terminal.Gateway.Cli.UsersCommand.RunAsync(["unlock", "nobody"], options, new StringReader(""), stdout, new StringWriter()));
    }
}
