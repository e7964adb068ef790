using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Terminal.Gateway.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded under Storage/Migrations/&lt;provider&gt;/NNNN_name.sql, in order, each in
/// its own transaction together with its schema_version row. Safe when several gateways start at once on one
/// database: PostgreSQL serializes starters with a session advisory lock, SQLite with BEGIN IMMEDIATE (the file's
/// write lock), and every starter re-reads schema_version after it holds the lock.
/// </summary>
public static class Migrator
{
    /// <summary>Advisory lock id: the ASCII bytes of "TGWMIGR1" (any fixed value shared by all gateway versions).</summary>
    private const long AdvisoryLockId = 0x5447574D49475231;

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Load(DatabaseProvider provider)
    {
        string folder = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            string normalized = resource.Replace('\\', '/');
            string prefix = "migrations/" + folder + "/";
            if (!normalized.StartsWith(prefix, StringComparison.Ordinal) || !normalized.EndsWith(".sql", StringComparison.Ordinal)) continue;
            string name = normalized[prefix.Length..^4];
            int underscore = name.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(name[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out int version))
                throw new InvalidOperationException($"migration resource '{resource}' is not named NNNN_description.sql");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(version, name, reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < list.Count; i++)
            if (list[i].Version != i + 1) throw new InvalidOperationException($"migrations for {folder} are not numbered 1..n without gaps (found {list[i].Version} at position {i + 1})");
        return list;
    }

    /// <summary>Brings the schema up to date; returns the versions applied by this call (empty if none were missing).</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(GatewayDatabase database, long nowMs, CancellationToken ct = default)
    {
        var migrations = Load(database.Provider);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var applied = new List<int>();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await Sql.ExecAsync(connection, null, "SELECT pg_advisory_lock(@id)", ("id", AdvisoryLockId)).ConfigureAwait(false);
            try
            {
                await Sql.ExecAsync(connection, null, CreateVersionTable).ConfigureAwait(false);
                foreach (var m in migrations)
                {
                    if (await IsAppliedAsync(connection, null, m.Version).ConfigureAwait(false)) continue;
                    await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                    await ApplyAsync(connection, tx, m, nowMs).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    applied.Add(m.Version);
                }
            }
            finally
            {
                await Sql.ExecAsync(connection, null, "SELECT pg_advisory_unlock(@id)", ("id", AdvisoryLockId)).ConfigureAwait(false);
            }
        }
        else
        {
            // WAL lets readers proceed while one writer commits; the mode is stored in the file.
            await Sql.ExecAsync(connection, null, "PRAGMA journal_mode=WAL").ConfigureAwait(false);
            await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await Sql.ExecAsync(connection, tx, CreateVersionTable).ConfigureAwait(false);
            foreach (var m in migrations)
            {
                if (await IsAppliedAsync(connection, tx, m.Version).ConfigureAwait(false)) continue;
                await ApplyAsync(connection, tx, m, nowMs).ConfigureAwait(false);
                applied.Add(m.Version);
            }
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        return applied;
    }

    /// <summary>Highest applied version, or 0 for an empty database (used by /readyz).</summary>
    public static async Task<int> CurrentVersionAsync(DbConnection connection)
    {
        var rows = await Sql.QueryAsync(connection, null, "SELECT MAX(version) FROM schema_version", r => Sql.Long(r, 0)).ConfigureAwait(false);
        return (int)(rows.Count == 0 ? 0 : rows[0] ?? 0);
    }

    public static int LatestVersion(DatabaseProvider provider) => Load(provider).Count;

    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction? tx, int version)
    {
        var rows = await Sql.QueryAsync(connection, tx, "SELECT version FROM schema_version WHERE version = @v", r => Sql.LongOr0(r, 0), ("v", (long)version)).ConfigureAwait(false);
        return rows.Count > 0;
    }

    private static async Task ApplyAsync(DbConnection connection, DbTransaction tx, Migration m, long nowMs)
    {
        await Sql.ExecAsync(connection, tx, m.Sql).ConfigureAwait(false);
        await Sql.ExecAsync(connection, tx, "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)",
            ("v", (long)m.Version), ("n", m.Name), ("t", nowMs)).ConfigureAwait(false);
    }
}
