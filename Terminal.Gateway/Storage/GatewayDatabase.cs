using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Terminal.Gateway.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Opens connections for the configured provider. All SQL in the stores is written once for both providers
/// (named parameters, <c>INSERT ... ON CONFLICT DO NOTHING</c>, RETURNING, BIGINT epoch-millisecond times, TEXT
/// everywhere else); only the migration scripts are per provider. PostgreSQL connections come from one pool per
/// instance, sized by <see cref="DatabasePool"/> (docs/gateway.md, "Connection pool").
/// </summary>
public sealed class GatewayDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _sqliteSynchronous;
    private readonly NpgsqlDataSource? _postgres;

    public GatewayDatabase(DatabaseProvider provider, string connectionString, string sqliteSynchronous = "NORMAL", DatabasePool? pool = null)
    {
        Provider = provider;
        _sqliteSynchronous = sqliteSynchronous;
        if (provider == DatabaseProvider.Postgres)
        {
            _connectionString = (pool ?? new DatabasePool()).Apply(connectionString);
            // A name of its own, so that this pool's metrics are told apart from other pools in the process.
            var builder = new NpgsqlDataSourceBuilder(_connectionString) { Name = "gateway-" + Guid.NewGuid().ToString("N")[..12] };
            _postgres = builder.Build();
            Pool = new PoolStatistics(builder.Name);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
            if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource != ":memory:") CreatePrivately(builder.DataSource);
            _connectionString = builder.ToString();
        }
    }

    public DatabaseProvider Provider { get; }

    /// <summary>PostgreSQL: the use of this instance's connection pool (for /metrics); null on SQLite.</summary>
    public PoolStatistics? Pool { get; }

    /// <summary>" FOR UPDATE SKIP LOCKED" on PostgreSQL (claims of several instances pass each other), "" on SQLite,
    /// whose writers are serialized anyway.</summary>
    public string SkipLocked => Provider == DatabaseProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>SQLite: the WAL file is truncated to this size after each checkpoint (16 MiB).</summary>
    public const long WalSizeLimitBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The SQLite file holds device keys (encrypted), bodies and payment records: it is created readable by the
    /// gateway's user only (0600, its folder 0700 when created here), before SQLite opens it; SQLite gives its -wal and
    /// -shm files the database file's mode. An existing file with wider permissions is narrowed.
    /// </summary>
    private static void CreatePrivately(string dataSource)
    {
        string file = Path.GetFullPath(dataSource);
        string? folder = Path.GetDirectoryName(file);
        if (OperatingSystem.IsWindows())
        {
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            return;
        }
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(file))
        {
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Private });
            return;
        }
        foreach (string f in new[] { file, file + "-wal", file + "-shm" })
        {
            if (File.Exists(f) && (File.GetUnixFileMode(f) & ~Private) != 0) File.SetUnixFileMode(f, Private);
        }
    }

    /// <summary>Returns null when the connection string parses for the provider, else the reason.</summary>
    public static string? CheckConnectionString(DatabaseProvider provider, string connectionString)
    {
        try
        {
            if (provider == DatabaseProvider.Postgres) _ = new NpgsqlConnectionStringBuilder(connectionString);
            else
            {
                var b = new SqliteConnectionStringBuilder(connectionString);
                if (string.IsNullOrWhiteSpace(b.DataSource)) return "no Data Source";
            }
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>A pooled connection, opened. A ValueTask: on PostgreSQL the pool mostly has one ready, and the wait
    /// completes without a Task or a state machine of this method.</summary>
    public ValueTask<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres == null) return OpenSqliteAsync(ct);
        var opening = _postgres.OpenConnectionAsync(ct);
        return opening.IsCompletedSuccessfully ? new ValueTask<DbConnection>(opening.Result) : OpenedAsync(opening);
    }

    private static async ValueTask<DbConnection> OpenedAsync(ValueTask<NpgsqlConnection> opening) => await opening.ConfigureAwait(false);

    private async ValueTask<DbConnection> OpenSqliteAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        // Per-connection settings: durability level, waiting (not failing) on a writer from another process, and the
        // size the WAL file is cut back to after a checkpoint (without it the file keeps its largest size ever).
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA synchronous={_sqliteSynchronous}; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA journal_size_limit={WalSizeLimitBytes};";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Starts a write transaction. On SQLite this is BEGIN IMMEDIATE (takes the write lock up front, so two writers
    /// never deadlock on a lock upgrade); on PostgreSQL READ COMMITTED with row locks from the statements.
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct = default)
    {
        if (connection is SqliteConnection sqlite) return sqlite.BeginTransaction(deferred: false);
        return await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs several statements (separated by ';') atomically in ONE round trip: PostgreSQL executes a multi-statement
    /// command as one implicit transaction; SQLite (in-process, no round trips) gets an explicit write transaction.
    /// Returns the rows affected by all statements together.
    /// </summary>
    public async Task<int> ExecAtomicAsync(DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        if (Provider == DatabaseProvider.Postgres) return await Sql.ExecAsync(connection, null, sql, parameters).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, tx, sql, parameters).ConfigureAwait(false);
        await tx.CommitAsync().ConfigureAwait(false);
        return n;
    }

    /// <summary>
    /// Runs several statements (separated by ';') atomically and hands every row of every result set that has columns
    /// to <paramref name="read"/> (which tells them apart by <see cref="DbDataReader.GetName"/>). PostgreSQL: one
    /// round trip, one implicit transaction; SQLite: an explicit write transaction.
    /// </summary>
    public Task BatchAsync(DbConnection connection, string sql, Action<DbDataReader>? read, params (string, object?)[] parameters)
    {
        // PostgreSQL needs no transaction of its own, so no async method of this one either (one state machine less per round trip).
        if (Provider == DatabaseProvider.Postgres) return Sql.ReadAsync(connection, null, sql, parameters, read ?? IgnoreRows);
        return BatchInTransactionAsync(connection, sql, read ?? IgnoreRows, parameters);
    }

    private static readonly Action<DbDataReader> IgnoreRows = _ => { };

    private static async Task BatchInTransactionAsync(DbConnection connection, string sql, Action<DbDataReader> read, (string, object?)[] parameters)
    {
        await using var tx = await BeginWriteAsync(connection).ConfigureAwait(false);
        await Sql.ReadAsync(connection, tx, sql, parameters, read).ConfigureAwait(false);
        await tx.CommitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// True for an error that says the database cannot be used now (connection refused or lost, server shutting down or
    /// restarting, too many connections, pool or command timeout, SQLite busy or locked): the same statement may work
    /// later. False for errors of the statement itself (a constraint, a syntax error), which will not.
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal)                 // admin shutdown, crash shutdown, cannot connect now
            || p.SqlState is "53300" or "53400" or "40001" or "40P01" or "55P03",     // too many connections, limits, serialization, deadlock, lock
        NpgsqlException => true,                                                       // I/O and timeouts below the protocol
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 10 or 13 or 14,           // BUSY, LOCKED, IOERR, FULL, CANTOPEN
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        InvalidOperationException when e.InnerException is { } inner => IsUnavailable(inner),
        _ => e.InnerException is { } cause && IsUnavailable(cause),
    };

    /// <summary>A unique or other constraint refused the statement (PostgreSQL class 23, SQLite SQLITE_CONSTRAINT).</summary>
    public static bool IsConstraintViolation(Exception e) =>
        e is PostgresException { SqlState: var state } && state.StartsWith("23", StringComparison.Ordinal) || e is SqliteException { SqliteErrorCode: 19 };

    public ValueTask DisposeAsync()
    {
        Pool?.Dispose();
        return _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

/// <summary>Small ADO.NET helpers: one place that turns (name, value) pairs into parameters.</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            if (p is NpgsqlParameter postgres) PostgresStatements.Bind(postgres, value);
            else p.Value = value is Utf8Text text ? text.ToString() : value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public static Task<int> ExecAsync(DbConnection connection, DbTransaction? tx, string sql, params (string, object?)[] parameters)
    {
        if (connection is Npgsql.NpgsqlConnection postgres && parameters.Length > 0 && PostgresStatements.For(sql) is { } plan)
            return plan.ExecuteNonQueryAsync(postgres, tx, parameters);
        return ExecCommandAsync(connection, tx, sql, parameters);
    }

    private static async Task<int> ExecCommandAsync(DbConnection connection, DbTransaction? tx, string sql, (string, object?)[] parameters)
    {
        await using var cmd = Command(connection, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string, object?)[] parameters)
    {
        var list = new List<T>();
        await ReadAsync(connection, tx, sql, parameters, r => list.Add(map(r))).ConfigureAwait(false);
        return list;
    }

    /// <summary>Runs the statements and hands every row of every result set that has columns to <paramref name="read"/>
    /// (a command may start with statements that return no rows: INSERT ...; SELECT ...). Not an async method itself:
    /// on PostgreSQL the plan's own method is the only one between the store and Npgsql.</summary>
    public static Task ReadAsync(DbConnection connection, DbTransaction? tx, string sql, (string, object?)[] parameters, Action<DbDataReader> read)
    {
        if (connection is Npgsql.NpgsqlConnection postgres && parameters.Length > 0 && PostgresStatements.For(sql) is { } plan)
            return plan.ReadAsync(postgres, tx, parameters, read);
        return ReadCommandAsync(connection, tx, sql, parameters, read);
    }

    private static async Task ReadCommandAsync(DbConnection connection, DbTransaction? tx, string sql, (string, object?)[] parameters, Action<DbDataReader> read)
    {
        await using var cmd = Command(connection, tx, sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        do
        {
            if (reader.FieldCount == 0) continue;
            while (await reader.ReadAsync().ConfigureAwait(false)) read(reader);
        }
        while (await reader.NextResultAsync().ConfigureAwait(false));
    }

    public static async Task<T?> QuerySingleAsync<T>(DbConnection connection, DbTransaction? tx, string sql, Func<DbDataReader, T> map, params (string, object?)[] parameters)
        where T : class
    {
        var list = await QueryAsync(connection, tx, sql, map, parameters).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    /// <remarks>A BIGINT (both providers' usual type) is read as it is; anything else through GetValue (boxed).</remarks>
    public static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null
        : r.GetFieldType(i) == typeof(long) ? r.GetInt64(i) : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
    public static long LongOr0(DbDataReader r, int i) => Long(r, i) ?? 0;
}
