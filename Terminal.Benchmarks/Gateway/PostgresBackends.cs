using Npgsql;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// The CPU time of the PostgreSQL server processes that serve one database (read from /proc on Linux, where the
/// benchmark runs beside the server): what a relayed call costs on the database side, which the benchmark process's
/// own CPU time does not include. The backends are listed when the measurement starts and again when it ends: one that
/// the pool opened in between counts with all its time (it did nothing before), one that ended in between takes its time
/// with it (<see cref="Reading.Ended"/> says how many did; the figure is then a lower bound).
/// </summary>
internal sealed class PostgresBackends
{
    /// <summary>Linux's USER_HZ, the unit of utime and stime in /proc/[pid]/stat.</summary>
    public const double TicksPerSecond = 100;

    private readonly string _connectionString;
    private readonly Dictionary<int, long> _ticksAtStart;

    private PostgresBackends(string connectionString, Dictionary<int, long> ticksAtStart)
    {
        _connectionString = connectionString;
        _ticksAtStart = ticksAtStart;
    }

    /// <summary>CPU ticks of the backends since the start, and how many of those listed at the start have ended.</summary>
    public readonly record struct Reading(long Ticks, int Ended);

    public static async Task<PostgresBackends?> StartAsync(string connectionString)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var ticks = new Dictionary<int, long>();
        foreach (int pid in await PidsAsync(connectionString))
        {
            if (TicksOf(pid) is long t) ticks[pid] = t;
        }
        return new PostgresBackends(connectionString, ticks);
    }

    public async Task<Reading> ReadAsync()
    {
        long ticks = 0;
        var running = new HashSet<int>();
        foreach (int pid in await PidsAsync(_connectionString))
        {
            if (TicksOf(pid) is not long now) continue;
            running.Add(pid);
            ticks += now - _ticksAtStart.GetValueOrDefault(pid);
        }
        int ended = _ticksAtStart.Keys.Count(pid => !running.Contains(pid));
        return new Reading(ticks, ended);
    }

    /// <summary>The backends of the database but the one asking (an unpooled connection, so it leaves none behind).</summary>
    private static async Task<List<int>> PidsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var pids = new List<int>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids;
    }

    /// <summary>User and system ticks of one process; null once it has ended.</summary>
    private static long? TicksOf(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // Fields after the command name (which may hold spaces, in parentheses): state is field 3, utime 14, stime 15.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
