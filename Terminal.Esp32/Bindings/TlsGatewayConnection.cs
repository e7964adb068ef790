using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Terminal.Io.Http;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IGatewayConnection"/> over nanoFramework's Socket and SslStream (System.Net): TCP to the gateway,
    /// TLS 1.2 checked against the gateway's CA, every step bounded by the time it is given. Used by the portable
    /// <see cref="GatewayHttpClient"/>; it replaces HttpWebRequest, which bounds neither its TLS handshake nor its
    /// connect, and drains kept connections on a thread of its own (docs/device-build.md, "Library behaviours").
    /// </summary>
    /// <remarks>
    /// <para>
    /// How each step ends by its timeout, as the libraries do it (nf-interpreter, System.Net):
    /// </para>
    /// <list type="bullet">
    /// <item>Name lookup: the native getaddrinfo blocks the interpreter until lwIP's DNS gives up (4 tries per
    /// server); nothing managed can end it. The address found is kept for <see cref="AddressLifetimeMs"/> and
    /// forgotten when a connection to it fails, so a lookup happens once per new gateway address, not per
    /// connection. An IPv4 literal needs none.</item>
    /// <item>TCP connect: Socket.Connect polls without a timeout (lwIP's SYN retries end it after tens of
    /// seconds); a timer closes the socket at the deadline, which wakes the poll (NativeSocket.close signals the
    /// socket event) and fails the connect.</item>
    /// <item>TLS handshake: runs natively, in blocking mode, and blocks the interpreter (timers included) until
    /// it ends. Its reads are bounded by the socket's native receive timeout (lwIP SO_RCVTIMEO), set here to the
    /// time left. A server that never answers is given up at the deadline; one that drips its handshake out a few
    /// bytes per read can stretch it by up to one timeout per handshake read.</item>
    /// <item>Reads and writes after the handshake: the socket's managed ReceiveTimeout and SendTimeout, which
    /// SslStream and Socket pass to their native waits, set to the time left before each call.</item>
    /// </list>
    /// <para>
    /// A failed handshake closes its socket here (SslStream frees its TLS context itself): repeated failures
    /// (wrong CA, a captive portal) leave nothing for the garbage collector, which HttpWebRequest did.
    /// </para>
    /// </remarks>
    public sealed class TlsGatewayConnection : IGatewayConnection
    {
        /// <summary>How long a looked-up address is used before the name is looked up again.</summary>
        public const int AddressLifetimeMs = 600000;

        private readonly GatewayAddress _address;
        private readonly X509Certificate _caCertificate;
        private readonly Timer _connectWatchdog;
        private readonly object _sync = new object();

        // lwIP's SO_RCVTIMEO/SO_SNDTIMEO take a struct timeval: ESP-IDF 5 has a 64-bit time_t, so 16 bytes
        // (tv_sec int64, tv_usec int32, padding). The int overload of SetSocketOption passes 4 bytes, which
        // lwIP refuses.
        private readonly byte[] _timeval = new byte[16];

        private IPAddress _ip;
        private long _ipSinceMs;
        private Socket _socket;
        private NetworkStream _stream;
        private SslStream _ssl;
        private Socket _connecting;
        private bool _connectExpired;

        /// <param name="caCertificate">
        /// The CA the gateway's certificate must chain to, or null to rely on the CA bundle stored on the device
        /// (nanoff --networkdeployment), which mbedTLS loads when none is given.
        /// </param>
        public TlsGatewayConnection(GatewayAddress address, X509Certificate caCertificate)
        {
            _address = address;
            _caCertificate = caCertificate;
            _connectWatchdog = new Timer(OnConnectDeadline, null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>Name lookups that failed.</summary>
        public int LookupFailures { get; private set; }

        /// <summary>TCP connects that failed or ran out of time.</summary>
        public int ConnectFailures { get; private set; }

        /// <summary>TLS handshakes that failed or ran out of time (wrong CA, a captive portal, a silent server).</summary>
        public int HandshakeFailures { get; private set; }

        /// <summary>Handshakes started without a native receive timeout because lwIP refused the option.</summary>
        public int TimeoutOptionRefused { get; private set; }

        public bool Open(int timeoutMs)
        {
            Close();
            if (timeoutMs <= 0)
            {
                return false;
            }

            long deadline = Environment.TickCount64 + timeoutMs;
            IPAddress ip = Resolve();
            if (ip == null || Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Socket socket = null;
            try
            {
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    // Head and body go out as two writes; without this the body waits for the head's ACK.
                    socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
                }
                catch (Exception)
                {
                    // An exchange without it is slower by one round trip, not wrong.
                }

                if (!Connect(socket, ip, deadline))
                {
                    ConnectFailures++;
                    _ip = null;
                    socket.Close();
                    return false;
                }

                if (!_address.Https)
                {
                    _socket = socket;
                    _stream = new NetworkStream(socket, true);
                    return true;
                }

                return Handshake(socket, deadline);
            }
            catch (Exception)
            {
                ConnectFailures++;
                _ip = null;
                if (socket != null)
                {
                    socket.Close();
                }

                return false;
            }
        }

        public bool CanReuse()
        {
            if (_socket == null)
            {
                return false;
            }

            try
            {
                // Readable on an idle connection means bytes or a close arrived since the last response.
                return !_socket.Poll(0, SelectMode.SelectRead) && (_ssl == null || !_ssl.DataAvailable);
            }
            catch (Exception)
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

            try
            {
                _socket.SendTimeout = timeoutMs;
                _stream.Write(buffer, offset, count);
                return true;
            }
            catch (Exception)
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

            try
            {
                // 0 would mean "no timeout" to Socket.ReceiveTimeout; timeoutMs is at least 1 here.
                _socket.ReceiveTimeout = timeoutMs;
                return _stream.Read(buffer, offset, count);
            }
            catch (Exception)
            {
                Close();
                return -1;
            }
        }

        public void Close()
        {
            NetworkStream stream = _stream;
            Socket socket = _socket;
            _stream = null;
            _ssl = null;
            _socket = null;
            try
            {
                if (stream != null)
                {
                    // SslStream.Dispose sends close_notify, closes the socket and frees the TLS context.
                    stream.Dispose();
                }

                if (socket != null)
                {
                    socket.Close();
                }
            }
            catch (Exception)
            {
                // Closing a connection that already failed can fail too; nothing is left to release.
            }
        }

        private IPAddress Resolve()
        {
            if (_ip != null && Environment.TickCount64 - _ipSinceMs < AddressLifetimeMs)
            {
                return _ip;
            }

            try
            {
                IPAddress found = null;
                if (IsIPv4Literal(_address.Host))
                {
                    found = IPAddress.Parse(_address.Host);
                }
                else
                {
                    IPAddress[] addresses = Dns.GetHostEntry(_address.Host).AddressList;
                    for (int i = 0; i < addresses.Length && found == null; i++)
                    {
                        if (addresses[i] != null && addresses[i].AddressFamily == AddressFamily.InterNetwork)
                        {
                            found = addresses[i];
                        }
                    }
                }

                if (found == null)
                {
                    LookupFailures++;
                    return null;
                }

                _ip = found;
                _ipSinceMs = Environment.TickCount64;
                return found;
            }
            catch (Exception)
            {
                LookupFailures++;
                return null;
            }
        }

        /// <summary>Socket.Connect with a deadline: the watchdog closes the socket if the connect outlives it.</summary>
        private bool Connect(Socket socket, IPAddress ip, long deadline)
        {
            int left = (int)(deadline - Environment.TickCount64);
            if (left <= 0)
            {
                return false;
            }

            lock (_sync)
            {
                _connecting = socket;
                _connectExpired = false;
                _connectWatchdog.Change(left, Timeout.Infinite);
            }

            bool connected;
            try
            {
                socket.Connect(new IPEndPoint(ip, _address.Port));
                connected = true;
            }
            catch (Exception)
            {
                // Refused, unreachable, or closed by the watchdog.
                connected = false;
            }

            lock (_sync)
            {
                _connectWatchdog.Change(Timeout.Infinite, Timeout.Infinite);
                _connecting = null;
                if (_connectExpired)
                {
                    connected = false;
                }
            }

            return connected && Environment.TickCount64 < deadline;
        }

        private void OnConnectDeadline(object state)
        {
            lock (_sync)
            {
                if (_connecting != null)
                {
                    _connectExpired = true;
                    try
                    {
                        _connecting.Close();
                    }
                    catch (Exception)
                    {
                        // Already closed by the connect's own failure.
                    }
                }
            }
        }

        private bool Handshake(Socket socket, long deadline)
        {
            int left = (int)(deadline - Environment.TickCount64);
            if (left <= 0)
            {
                socket.Close();
                return false;
            }

            try
            {
                SetNativeTimeouts(socket, left);
            }
            catch (Exception)
            {
                // A firmware whose lwIP takes another timeval layout refuses it: go on, counted, rather than never
                // connect; the handshake is then bounded by lwIP alone.
                TimeoutOptionRefused++;
            }

            SslStream ssl = null;
            try
            {
                ssl = new SslStream(socket);
                ssl.SslVerification = SslVerification.CertificateRequired;
                ssl.AuthenticateAsClient(_address.Host, null, _caCertificate, SslProtocols.Tls12);
            }
            catch (Exception)
            {
                HandshakeFailures++;
                if (ssl != null)
                {
                    ssl.Dispose();
                }

                socket.Close();
                return false;
            }

            if (Environment.TickCount64 >= deadline)
            {
                ssl.Dispose();
                return false;
            }

            _socket = socket;
            _ssl = ssl;
            _stream = ssl;
            return true;
        }

        private void SetNativeTimeouts(Socket socket, int milliseconds)
        {
            long seconds = milliseconds / 1000;
            int microseconds = milliseconds % 1000 * 1000;
            for (int i = 0; i < 8; i++)
            {
                _timeval[i] = (byte)(seconds >> (8 * i));
            }

            for (int i = 0; i < 4; i++)
            {
                _timeval[8 + i] = (byte)(microseconds >> (8 * i));
                _timeval[12 + i] = 0;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, _timeval);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.SendTimeout, _timeval);
        }

        private static bool IsIPv4Literal(string host)
        {
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if ((c < '0' || c > '9') && c != '.')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
