using System.Reflection;
using Npgsql;
using Xunit.Sdk;

namespace Terminal.Tests.Gateway.Support;

/// <summary>
/// A fresh database per test: a temporary SQLite file, or a new schema in the PostgreSQL database named by
/// TERMINAL_TEST_POSTGRES (set by .ci/pg.sh). Without that variable PostgreSQL cases are skipped locally and fail
/// when CI=true.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "TERMINAL_TEST_POSTGRES";

    private readonly string? _file;
    private readonly string? _schema;
    private readonly string? _adminConnectionString;

    private TestDatabase(string provider, string connectionString, string? file, string? schema, string? admin)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _file = file;
        _schema = schema;
        _adminConnectionString = admin;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <param name="postgres">PostgreSQL: the server to make the schema on (default: TERMINAL_TEST_POSTGRES's).</param>
    public static async Task<TestDatabase> CreateAsync(string provider, string? postgres = null)
    {
        if (provider == "sqlite")
        {
            string file = Path.Combine(Path.GetTempPath(), "gw-test-" + Guid.NewGuid().ToString("N") + ".db");
            return new TestDatabase(provider, $"Data Source={file}", file, null, null);
        }
        string admin = postgres ?? PostgresConnectionString
            ?? throw new InvalidOperationException($"{PostgresVariable} is not set: PostgreSQL tests need the server that .ci/pg.sh starts (required when CI=true)");
        string schema = "gw_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema };
        return new TestDatabase(provider, builder.ConnectionString, null, schema, admin);
    }

    public async ValueTask DisposeAsync()
    {
        if (_file != null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string f in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
        }
        if (_schema != null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Theory row "sqlite".</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SqliteProviderAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["sqlite"]];
}

/// <summary>Theory row "postgres": skipped when TERMINAL_TEST_POSTGRES is unset, except under CI=true, where the
/// test runs and fails with a clear message.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresProviderAttribute : DataAttribute
{
    public PostgresProviderAttribute()
    {
        if (TestDatabase.PostgresConnectionString == null && !TestDatabase.RunningInCi)
            Skip = $"{TestDatabase.PostgresVariable} is not set (run .ci/pg.sh); required when CI=true";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["postgres"]];
}
