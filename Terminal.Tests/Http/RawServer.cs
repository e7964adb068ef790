using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Terminal.Tests.Http;

/// <summary>One request as the raw server received it.</summary>
internal sealed record ReceivedRequest(string Head, byte[] Body, int Connection)
{
    public string? Header(string name)
    {
        foreach (string line in Head.Split("\r\n").Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }
}

/// <summary>
/// A TCP server on loopback that behaves as a test tells it, byte by byte: a gateway that answers, one that never
/// does, one that stalls in the middle of a body, one that accepts TCP and never completes a TLS handshake. Each
/// connection runs <c>behaviour(connection)</c>; the helpers on <see cref="Connection"/> read requests and write raw
/// bytes. Everything it does ends when it is disposed.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly Func<Connection, Task> _behaviour;
    private readonly bool _tls;
    private int _accepted;

    /// <param name="tls">Completes a TLS handshake (TestCertificates.Server) before the behaviour runs.</param>
    public RawServer(Func<Connection, Task> behaviour, bool tls = false)
    {
        _behaviour = behaviour;
        _tls = tls;
        _listener.Start();
        _tasks.Add(Task.Run(AcceptLoop));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseUri => new((_tls ? "https" : "http") + "://127.0.0.1:" + Port + "/");

    /// <summary>For a client that expects TLS from a server that never speaks it.</summary>
    public Uri HttpsUri => new("https://127.0.0.1:" + Port + "/");

    public int Accepted => Volatile.Read(ref _accepted);

    public List<ReceivedRequest> Requests { get; } = [];

    /// <summary>Completes once every connection accepted so far has ended (its behaviour returned or failed).</summary>
    public Task Ended
    {
        get
        {
            lock (_tasks)
            {
                return Task.WhenAll(_tasks.Skip(1).ToArray());
            }
        }
    }

    public List<string> Failures { get; } = [];

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await Task.WhenAll(_tasks.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // Connections end with cancellation or resets; the test has its answer already.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            int number = Interlocked.Increment(ref _accepted);
            lock (_tasks)
            {
                _tasks.Add(Task.Run(() => Serve(client, number)));
            }
        }
    }

    private async Task Serve(TcpClient client, int number)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_tls)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Server, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                        _stop.Token);
                    stream = ssl;
                }

                await _behaviour(new Connection(this, client, stream, number));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or AuthenticationException or ObjectDisposedException)
            {
            }
            catch (Exception e)
            {
                lock (Failures)
                {
                    Failures.Add(e.ToString());
                }
            }
        }
    }

    /// <summary>One accepted connection.</summary>
    internal sealed class Connection(RawServer server, TcpClient client, Stream stream, int number)
    {
        private readonly byte[] _buffer = new byte[65536];
        private int _start;
        private int _end;

        public int Number => number;

        public CancellationToken Stopping => server._stop.Token;

        public Stream Stream => stream;

        /// <summary>Reads one request (head and Content-Length body); null when the client closed first.</summary>
        public async Task<ReceivedRequest?> ReadRequest()
        {
            int headEnd;
            while ((headEnd = IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (!await Fill())
                {
                    return null;
                }
            }

            string head = Encoding.ASCII.GetString(_buffer, _start, headEnd - _start);
            _start = headEnd + 4;
            var request = new ReceivedRequest(head, [], number);
            int length = int.Parse(request.Header("Content-Length") ?? "0");
            while (_end - _start < length)
            {
                if (!await Fill())
                {
                    return null;
                }
            }

            request = request with { Body = _buffer.AsSpan(_start, length).ToArray() };
            _start += length;
            lock (server.Requests)
            {
                server.Requests.Add(request);
            }

            return request;
        }

        /// <summary>Reads and throws away whatever arrives until the client closes.</summary>
        public async Task Drain()
        {
            while (await Fill())
            {
                _start = _end;
            }
        }

        public Task Write(string ascii) => Write(Encoding.ASCII.GetBytes(ascii));

        public async Task Write(byte[] bytes)
        {
            await stream.WriteAsync(bytes, Stopping);
            await stream.FlushAsync(Stopping);
        }

        /// <summary>Waits until the server is disposed, holding the connection open and silent.</summary>
        public Task Hang() => Task.Delay(Timeout.Infinite, Stopping);

        public void Close() => client.Close();

        private int IndexOf(ReadOnlySpan<byte> pattern)
        {
            int at = _buffer.AsSpan(_start, _end - _start).IndexOf(pattern);
            return at < 0 ? -1 : _start + at;
        }

        private async Task<bool> Fill()
        {
            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            int n = await stream.ReadAsync(_buffer.AsMemory(_end), Stopping);
            _end += n;
            return n > 0;
        }
    }
}

/// <summary>Responses the behaviours write.</summary>
internal static class Responses
{
    public const string SignatureValue = "algorithm=HS256,keyVersion=2,signature=c2lnbmVk";

    public static string Ok(string body, string connection = "keep-alive") =>
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + Encoding.UTF8.GetByteCount(body)
        + "\r\nResponse-Time: 1700000000500\r\nClient-Id: T0001\r\nSignature: " + SignatureValue
        + "\r\nConnection: " + connection + "\r\n\r\n" + body;

    /// <summary>Answers every request on the connection with <paramref name="body"/> until the client closes.</summary>
    public static Func<RawServer.Connection, Task> AnswerAll(string body) => async c =>
    {
        while (await c.ReadRequest() != null)
        {
            await c.Write(Ok(body));
        }
    };
}
