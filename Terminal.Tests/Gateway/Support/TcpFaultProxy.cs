using System.Net;
using System.Net.Sockets;

namespace Terminal.Tests.Gateway.Support;

/// <summary>
/// A TCP forwarder on loopback between the gateway and its PostgreSQL server, for database faults that leave the shared
/// test server alone: <see cref="Cut"/> drops every open connection and refuses new ones (what a restart or an outage
/// looks like from the gateway), <see cref="Restore"/> lets them through again. It also counts connections, and can
/// refuse those beyond a limit (a server's max_connections).
/// </summary>
internal sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;
    private int _peak;
    private int _refused;

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Most connections open at once so far.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>Connections refused for the limit.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Connections beyond this many are closed at once (null: no limit).</summary>
    public int? Limit { get; set; }

    public int Open
    {
        get { lock (_lock) return _open.Count; }
    }

    /// <summary>A PostgreSQL connection string through this proxy.</summary>
    public string Through(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    public static TcpFaultProxy For(string connectionString)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return new TcpFaultProxy(b.Host!, b.Port);
    }

    public void Cut()
    {
        _cut = true;
        lock (_lock)
        {
            foreach (var c in _open) c.Client.Close(0);
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            lock (_lock)
            {
                if (_cut || (Limit is int limit && _open.Count >= limit))
                {
                    if (!_cut) Interlocked.Increment(ref _refused);
                    client.Client.Close(0);
                    return;
                }
                _open.Add(client);
                if (_open.Count > _peak) _peak = _open.Count;
            }
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var down = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            lock (_lock) _open.Remove(client);
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
