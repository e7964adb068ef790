using Npgsql;

namespace Terminal.Gateway.Storage;

/// <summary>
/// The PostgreSQL connection pool of one gateway instance (docs/gateway.md, "Connection pool"). Every instance keeps its
/// own pool, and the server refuses connections beyond <c>max_connections</c> minus its reserved ones, so the rule is
/// <c>instances × MaxPoolSize + headroom ≤ max_connections − superuser_reserved_connections</c>, the headroom being
/// what migrations, the devices CLI, monitoring and a psql session need (<see cref="Headroom"/>). A device request holds
/// a connection only for one statement at a time (never while Antom answers), so a small pool carries a large load.
/// </summary>
public sealed record DatabasePool(int MaxPoolSize = 20, int MinPoolSize = 0, int ConnectTimeoutSeconds = 5, int CommandTimeoutSeconds = 10,
    int IdleLifetimeSeconds = 60, string? ApplicationName = null)
{
    /// <summary>Connections left for everything that is not a gateway's pool.</summary>
    public const int Headroom = 10;

    /// <summary>The connection string with these settings (they win over the same keywords in it), automatic statement
    /// preparation (the gateway's statements repeat), and no session reset on return (the gateway leaves no session
    /// state behind: the migrator unlocks its advisory lock itself).</summary>
    public string Apply(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            MaxPoolSize = MaxPoolSize,
            MinPoolSize = MinPoolSize,
            Timeout = ConnectTimeoutSeconds,
            CommandTimeout = CommandTimeoutSeconds,
            ConnectionIdleLifetime = IdleLifetimeSeconds,
            ConnectionPruningInterval = Math.Min(10, IdleLifetimeSeconds),
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
        };
        if (ApplicationName != null) b.ApplicationName = ApplicationName.Length <= 63 ? ApplicationName : ApplicationName[..63];
        return b.ConnectionString;
    }
}
