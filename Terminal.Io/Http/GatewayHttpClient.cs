using Terminal.Core.Ports;

namespace Terminal.Io.Http
{
    /// <summary>
    /// <see cref="IHttpExchange"/> over a byte connection to the gateway (<see cref="IGatewayConnection"/>): the
    /// device's HTTP/1.1 client. It writes the request head (<see cref="RequestHead"/>) and body, reads the answer
    /// (<see cref="ResponseReader"/>) into the exchange, and keeps the connection for the next request when the
    /// answer allows it. Nothing is allocated per exchange.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Deadline: the whole exchange ends by <c>timeoutMs</c>; every connection call gets the time left, and the
    /// connection's contract is to return by it. A budget of 0 or less sends nothing
    /// (<see cref="HttpExchangeStatus.TimeoutBeforeSend"/>).
    /// </para>
    /// <para>
    /// Delivered or not: until the first byte of the body has been handed to the connection, the server cannot act
    /// on the request (a POST with a Content-Length is not complete without its body), so a failure up to then is
    /// <see cref="HttpExchangeStatus.ConnectFailed"/> or <see cref="HttpExchangeStatus.TimeoutBeforeSend"/>; after
    /// it, <see cref="HttpExchangeStatus.TimeoutAfterSend"/>, <see cref="HttpExchangeStatus.ResponseBroken"/> or
    /// <see cref="HttpExchangeStatus.ResponseTooLarge"/> (unknown: the engine inquires). A request whose body has
    /// started is never sent again.
    /// </para>
    /// <para>
    /// Keeping connections: a kept connection is used again only when it has been idle less than
    /// <see cref="MaxIdleMs"/> (well inside the idle timeouts of servers and load balancers, 60 s and more, so the
    /// server does not close it as the request arrives) and nothing has arrived on it since (no stray bytes, no
    /// close). When writing the head fails on a kept connection, the request goes once more on a new one: the
    /// server cannot have acted on a head without its body. Nothing reads a kept connection in the background,
    /// so the next response cannot be lost to a reader of the previous one.
    /// </para>
    /// </remarks>
    public sealed class GatewayHttpClient : IHttpExchange
    {
        /// <summary>A kept connection idle for longer is closed rather than used (see remarks).</summary>
        public const int MaxIdleMs = 15000;

        private const int ReadChunk = 512;

        private readonly GatewayAddress _address;
        private readonly IGatewayConnection _connection;
        private readonly IClock _clock;
        private readonly RequestHead _head = new RequestHead();
        private readonly ResponseReader _reader = new ResponseReader();
        private readonly byte[] _received = new byte[ReadChunk];
        private readonly object _sync = new object();

        private bool _kept;
        private long _keptSinceMs;

        public GatewayHttpClient(GatewayAddress address, IGatewayConnection connection, IClock clock)
        {
            if (address == null || connection == null || clock == null)
            {
                throw new System.ArgumentNullException(address == null ? "address" : connection == null ? "connection" : "clock");
            }

            _address = address;
            _connection = connection;
            _clock = clock;
        }

        /// <summary>Connections opened.</summary>
        public int ConnectionsOpened { get; private set; }

        /// <summary>Exchanges sent on a kept connection.</summary>
        public int ConnectionsReused { get; private set; }

        /// <summary>Requests sent again on a new connection because the head could not be written on a kept one.</summary>
        public int StaleRetries { get; private set; }

        /// <summary>Connections that failed to open.</summary>
        public int ConnectFailures { get; private set; }

        /// <summary>Requests refused before any connection because a header value is not printable ASCII or too long.</summary>
        public int RefusedHeads { get; private set; }

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            lock (_sync)
            {
                exchange.ClearResponse();
                HttpExchangeStatus status = Exchange(exchange, timeoutMs);
                if (status != HttpExchangeStatus.Completed)
                {
                    exchange.ClearResponse();
                }

                return status;
            }
        }

        private HttpExchangeStatus Exchange(HttpExchange exchange, int timeoutMs)
        {
            if (timeoutMs <= 0)
            {
                return HttpExchangeStatus.TimeoutBeforeSend;
            }

            long deadline = _clock.MonotonicMs() + timeoutMs;
            int headLength = _head.Write(_address, exchange);
            if (headLength < 0)
            {
                RefusedHeads++;
                return HttpExchangeStatus.ConnectFailed;
            }

            HttpExchangeStatus status = SendHead(headLength, deadline);
            if (status != HttpExchangeStatus.Completed)
            {
                return status;
            }

            if (exchange.RequestBodyLength > 0
                && !_connection.Write(exchange.RequestBuffer, exchange.RequestBodyOffset, exchange.RequestBodyLength, Left(deadline)))
            {
                return Drop(Expired(deadline) ? HttpExchangeStatus.TimeoutAfterSend : HttpExchangeStatus.ResponseBroken);
            }

            return ReadResponse(exchange, deadline);
        }

        /// <summary>
        /// Gets a connection (kept or new) and writes the head: <see cref="HttpExchangeStatus.Completed"/> when it is
        /// written, else a not-delivered status. A request without a body counts as sent once its head is written.
        /// </summary>
        private HttpExchangeStatus SendHead(int headLength, long deadline)
        {
            bool reused = _kept && _clock.MonotonicMs() - _keptSinceMs < MaxIdleMs && _connection.CanReuse();
            _kept = false;
            if (!reused)
            {
                _connection.Close();
            }

            while (true)
            {
                if (!reused)
                {
                    if (Expired(deadline))
                    {
                        return HttpExchangeStatus.TimeoutBeforeSend;
                    }

                    if (!_connection.Open(Left(deadline)))
                    {
                        ConnectFailures++;
                        return Expired(deadline) ? HttpExchangeStatus.TimeoutBeforeSend : HttpExchangeStatus.ConnectFailed;
                    }

                    ConnectionsOpened++;
                }
                else
                {
                    ConnectionsReused++;
                }

                if (_connection.Write(_head.Bytes, 0, headLength, Left(deadline)))
                {
                    return HttpExchangeStatus.Completed;
                }

                _connection.Close();
                if (!reused || Expired(deadline))
                {
                    return Expired(deadline) ? HttpExchangeStatus.TimeoutBeforeSend : HttpExchangeStatus.ConnectFailed;
                }

                // The kept connection was dead after all; the server has seen at most a head without its body.
                StaleRetries++;
                reused = false;
            }
        }

        private HttpExchangeStatus ReadResponse(HttpExchange exchange, long deadline)
        {
            _reader.Begin(exchange);
            while (true)
            {
                if (Expired(deadline))
                {
                    return Drop(HttpExchangeStatus.TimeoutAfterSend);
                }

                int n = _connection.Read(_received, 0, _received.Length, Left(deadline));
                int outcome;
                if (n < 0)
                {
                    return Drop(Expired(deadline) ? HttpExchangeStatus.TimeoutAfterSend : HttpExchangeStatus.ResponseBroken);
                }

                if (n == 0)
                {
                    outcome = _reader.End();
                    _connection.Close();
                }
                else
                {
                    outcome = _reader.Feed(_received, 0, n);
                }

                if (outcome == ResponseReader.NeedMore)
                {
                    continue;
                }

                if (outcome != ResponseReader.Complete)
                {
                    return Drop(outcome == ResponseReader.TooLarge ? HttpExchangeStatus.ResponseTooLarge : HttpExchangeStatus.ResponseBroken);
                }

                // Bytes after the response would be read as the start of the next one: such a connection is closed.
                if (n > 0 && _reader.KeepAlive && _reader.Consumed == n)
                {
                    _kept = true;
                    _keptSinceMs = _clock.MonotonicMs();
                }
                else
                {
                    _connection.Close();
                }

                return HttpExchangeStatus.Completed;
            }
        }

        private HttpExchangeStatus Drop(HttpExchangeStatus status)
        {
            _connection.Close();
            return status;
        }

        private bool Expired(long deadline)
        {
            return _clock.MonotonicMs() >= deadline;
        }

        private int Left(long deadline)
        {
            long left = deadline - _clock.MonotonicMs();
            return left <= 0 ? 0 : left > int.MaxValue ? int.MaxValue : (int)left;
        }
    }
}
