using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Terminal.Host;
using Terminal.Io.Http;

namespace Terminal.Tests.Http;

/// <summary>
/// <see cref="IGatewayConnection"/> over .NET sockets and SslStream, so that the device's HTTP client
/// (<see cref="GatewayHttpClient"/>) runs against real servers in the contract tests. It keeps the connection
/// contract the way the ESP32 binding does: every call bounded by its timeout, nothing open after a failure.
/// </summary>
internal sealed class SocketConnection(GatewayAddress address, X509Certificate2? ca) : IGatewayConnection, IDisposable
{
    private Socket? _socket;
    private Stream? _stream;

    public int Opened { get; private set; }

    public bool Open(int timeoutMs)
    {
        Close();
        if (timeoutMs <= 0)
        {
            return false;
        }

        using var deadline = new CancellationTokenSource(timeoutMs);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.ConnectAsync(address.Host, address.Port, deadline.Token).AsTask().GetAwaiter().GetResult();
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (address.Https)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = address.Host,
                    EnabledSslProtocols = SslProtocols.Tls12,
                    RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                        ca != null && HttpClientExchange.ChainsTo(ca, certificate, chain, errors),
                };
                ssl.AuthenticateAsClientAsync(options, deadline.Token).GetAwaiter().GetResult();
                stream = ssl;
            }

            _socket = socket;
            _stream = stream;
            Opened++;
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or AuthenticationException)
        {
            socket.Dispose();
            return false;
        }
    }

    public bool CanReuse()
    {
        try
        {
            return _socket != null && !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public bool Write(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_stream == null || timeoutMs <= 0)
        {
            Close();
            return false;
        }

        using var deadline = new CancellationTokenSource(timeoutMs);
        try
        {
            _stream.WriteAsync(buffer.AsMemory(offset, count), deadline.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Close();
            return false;
        }
    }

    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_stream == null || timeoutMs <= 0)
        {
            Close();
            return -1;
        }

        using var deadline = new CancellationTokenSource(timeoutMs);
        try
        {
            return _stream.ReadAsync(buffer.AsMemory(offset, count), deadline.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            Close();
            return -1;
        }
    }

    public void Close()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
    }

    public void Dispose() => Close();
}
