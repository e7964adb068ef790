using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Terminal.Tests.Gateway.Support;

/// <summary>
/// A PostgreSQL server of one test's own, for faults that would hurt every other test on the shared server: a restart
/// (<c>pg_ctl restart -m fast</c>) and a backend killed with SIGKILL (after which the postmaster ends every session and
/// recovers). Made like .ci/pg.sh makes the shared one: a new cluster in a temporary folder owned by the unprivileged
/// 'postgres' user, on a free loopback port, stopped and deleted on dispose. Needs the PostgreSQL binaries, that user,
/// and root to switch to it (all there where .ci/pg.sh ran).
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private const string User = "postgres";

    private readonly string _bin;
    private readonly string _folder;

    private PrivatePostgres(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username={User};Database=postgres";
    }

    /// <summary>A superuser connection (trust authentication on loopback).</summary>
    public string ConnectionString { get; }

    private string Data => Path.Combine(_folder, "data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault() ?? throw new InvalidOperationException("no PostgreSQL binaries under /usr/lib/postgresql (run .ci/pg.sh)")
            : throw new InvalidOperationException("no PostgreSQL binaries under /usr/lib/postgresql (run .ci/pg.sh)");
        string folder = Directory.CreateTempSubdirectory("terminal-pg-test.").FullName;
        await RunAsync("chown", User, folder);
        int port = FreePort();
        var server = new PrivatePostgres(bin, folder, port);
        await server.AsUserAsync("initdb", "-D", server.Data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-instructions");
        await server.AsUserAsync("pg_ctl", "-D", server.Data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=60", "start");
        return server;
    }

    /// <summary>A fast restart: sessions are ended, the server shuts down cleanly and starts again.</summary>
    public Task RestartAsync() => AsUserAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "restart");

    /// <summary>SIGKILL to one backend serving a connection whose application_name starts with
    /// <paramref name="applicationPrefix"/>; false if there was none. The postmaster then ends all sessions and recovers.</summary>
    public async Task<bool> KillBackendAsync(string applicationPrefix)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE application_name LIKE @p ORDER BY backend_start LIMIT 1", connection);
        cmd.Parameters.AddWithValue("p", applicationPrefix + "%");
        if (await cmd.ExecuteScalarAsync() is not int pid) return false;
        Process.GetProcessById(pid).Kill();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsUserAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped: the folder goes anyway.
        }
        Directory.Delete(_folder, recursive: true);
    }

    private Task AsUserAsync(string program, params string[] args) => RunAsync("runuser", ["-u", User, "--", Path.Combine(_bin, program), .. args]);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {error}{await output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
