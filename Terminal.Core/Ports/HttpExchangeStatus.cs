namespace Terminal.Core.Ports
{
    /// <summary>
    /// How one HTTP exchange ended at the transport level. Only <see cref="Completed"/> carries a response;
    /// the others say whether the server can have seen the request, which decides between "resend" and
    /// "inquire" (docs/antom-protocol.md 4.1: a timeout is unknown, never a failure).
    /// </summary>
    public enum HttpExchangeStatus
    {
        /// <summary>A complete response arrived (any HTTP status); status, headers and body are set.</summary>
        Completed = 0,

        /// <summary>No connection (DNS, TCP, TLS handshake): the request was certainly not delivered.</summary>
        ConnectFailed = 1,

        /// <summary>The timeout expired before the request body was handed to the connection.</summary>
        TimeoutBeforeSend = 2,

        /// <summary>The request was sent but no complete response arrived in time: the server may have acted.</summary>
        TimeoutAfterSend = 3,

        /// <summary>The response body did not fit the caller's buffer; the server acted, the answer is lost.</summary>
        ResponseTooLarge = 4,

        /// <summary>The connection broke while the response was being read: the server may have acted.</summary>
        ResponseBroken = 5,
    }
}
