using Npgsql;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// The CPU time of the PostgreSQL server processes that serve one database (read from /proc on Linux, where the
/// benchmark runs beside the server): what a relayed call costs on the database side, which the benchmark process's
/// own CPU time does not include. Backends are found once, after a warm-up has filled the gateway's pool; a backend
/// that ends before the second reading takes its time with it, so the figure is a lower bound.
/// </summary>
internal sealed class PostgresBackends
{
    /// <summary>Linux's USER_HZ, the unit of utime and stime in /proc/[pid]/stat.</summary>
    public const double TicksPerSecond = 100;

    private readonly int[] _pids;

    private PostgresBackends(int[] pids) => _pids = pids;

    public static async Task<PostgresBackends?> OfAsync(string connectionString)
    {
        if (!OperatingSystem.IsLinux()) return null;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var pids = new List<int>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids.Count == 0 ? null : new PostgresBackends([.. pids]);
    }

    /// <summary>User and system ticks of the backends still running.</summary>
    public long CpuTicks()
    {
        long ticks = 0;
        foreach (int pid in _pids)
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                continue;
            }
            // Fields after the command name (which may hold spaces, in parentheses): state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        }
        return ticks;
    }
}
