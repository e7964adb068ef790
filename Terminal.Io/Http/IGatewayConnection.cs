namespace Terminal.Io.Http
{
    /// <summary>
    /// One byte connection to the gateway for the portable HTTP client (<see cref="GatewayHttpClient"/>):
    /// name lookup, TCP and TLS with the gateway's CA on the device. A binding holds no HTTP logic.
    /// </summary>
    /// <remarks>
    /// Every call returns by its timeout (give or take the platform's timer tick): the client passes each the time
    /// left to its deadline, which is how a whole exchange ends by its deadline. A binding that cannot bound a step
    /// says so in its own documentation. No call throws for network faults; a failed call leaves nothing open.
    /// </remarks>
    public interface IGatewayConnection
    {
        /// <summary>
        /// Opens a new connection to the gateway, closing any open one. False when it failed or the time ran out.
        /// </summary>
        bool Open(int timeoutMs);

        /// <summary>
        /// True when a connection is open and has neither received a byte nor been closed by the peer since the
        /// client last read from it: a request sent on it now reaches a server that is still listening.
        /// </summary>
        bool CanReuse();

        /// <summary>Sends all the bytes. False when the connection failed or the time ran out (it is closed then).</summary>
        bool Write(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>
        /// Receives what has arrived, up to <paramref name="count"/> bytes, waiting for at least one: the number
        /// received, 0 when the peer closed the connection, -1 when it failed or the time ran out (closed then).
        /// </summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Closes the connection, if one is open.</summary>
        void Close();
    }
}
