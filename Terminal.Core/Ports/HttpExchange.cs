namespace Terminal.Core.Ports
{
    /// <summary>
    /// The data of one HTTP exchange, preallocated once and reused for every request (docs/architecture.md section 5:
    /// no allocation per poll). The core fills the request part and a binding (<see cref="IHttpExchange"/>)
    /// fills the response part. All header values are ASCII bytes.
    /// </summary>
    /// <remarks>
    /// Buffer contract: the request body is <c>RequestBuffer[RequestBodyOffset .. +RequestBodyLength)</c>.
    /// The binding writes the response body into <c>ResponseBuffer</c> starting at
    /// <see cref="ResponseBodyOffset"/>, at most <see cref="ResponseBodyCapacity"/> bytes; the bytes before
    /// the offsets belong to the core (it places the signature prefix there so that the signed content is
    /// one contiguous range). A response header value longer than its buffer is reported as absent
    /// (length 0), which makes the response untrusted.
    /// </remarks>
    public sealed class HttpExchange
    {
        /// <summary>The content type every Antom request carries; the signature covers UTF-8 bodies.</summary>
        public const string JsonContentType = "application/json; charset=UTF-8";

        /// <summary>Capacity of each response header buffer.</summary>
        public const int HeaderCapacity = 256;

        /// <summary>Capacity of the Content-Range value ("bytes 0-16383/1048576" and longer numbers).</summary>
        public const int ContentRangeCapacity = 48;

        private readonly byte[] _requestTime = new byte[24];
        private readonly byte[] _signature = new byte[HeaderCapacity];
        private readonly byte[] _responseTime = new byte[HeaderCapacity];
        private readonly byte[] _responseSignature = new byte[HeaderCapacity];
        private readonly byte[] _responseClientId = new byte[HeaderCapacity];
        private readonly byte[] _responseContentRange = new byte[ContentRangeCapacity];
        private readonly byte[] _requestBuffer;
        private readonly byte[] _responseBuffer;
        private readonly int _reserved;

        /// <param name="bodyCapacity">Largest request body, bytes.</param>
        /// <param name="responseCapacity">Largest response body, bytes.</param>
        /// <param name="reserved">Bytes kept free before each body for the core's own use.</param>
        public HttpExchange(int bodyCapacity, int responseCapacity, int reserved)
        {
            if (bodyCapacity < 64 || responseCapacity < 64 || reserved < 0)
            {
                throw new System.ArgumentOutOfRangeException("bodyCapacity", "buffers must hold at least 64 bytes");
            }

            _reserved = reserved;
            _requestBuffer = new byte[reserved + bodyCapacity];
            _responseBuffer = new byte[reserved + responseCapacity];
            Method = "POST";
            ContentType = JsonContentType;
        }

        // ---- request (filled by the core) ----

        /// <summary>HTTP method; always "POST" for the Antom API.</summary>
        public string Method { get; set; }

        /// <summary>Request path, e.g. "/ams/api/v1/payments/pay" (no host).</summary>
        public string Path { get; set; }

        /// <summary>Content-Type header value.</summary>
        public string ContentType { get; set; }

        /// <summary>Client-Id header value (the device id).</summary>
        public string ClientId { get; set; }

        /// <summary>Request-Time header value, ASCII (epoch milliseconds).</summary>
        public byte[] RequestTime
        {
            get { return _requestTime; }
        }

        public int RequestTimeLength { get; set; }

        /// <summary>Signature header value, ASCII.</summary>
        public byte[] Signature
        {
            get { return _signature; }
        }

        public int SignatureLength { get; set; }

        /// <summary>Holds the request body at <see cref="RequestBodyOffset"/>.</summary>
        public byte[] RequestBuffer
        {
            get { return _requestBuffer; }
        }

        public int RequestBodyOffset
        {
            get { return _reserved; }
        }

        public int RequestBodyLength { get; set; }

        public int RequestBodyCapacity
        {
            get { return _requestBuffer.Length - _reserved; }
        }

        /// <summary>First byte of a Range request (RFC 9110 14.2: <c>Range: bytes=from-to</c>); used only when
        /// <see cref="RangeLength"/> is above 0.</summary>
        public int RangeFrom { get; set; }

        /// <summary>Bytes asked for from <see cref="RangeFrom"/>; 0 sends no Range header (the default).</summary>
        public int RangeLength { get; set; }

        // ---- response (filled by the binding) ----

        /// <summary>HTTP status code of a completed exchange, 0 before.</summary>
        public int StatusCode { get; set; }

        /// <summary>Response-Time header value, ASCII.</summary>
        public byte[] ResponseTime
        {
            get { return _responseTime; }
        }

        public int ResponseTimeLength { get; set; }

        /// <summary>Signature header value of the response, ASCII.</summary>
        public byte[] ResponseSignature
        {
            get { return _responseSignature; }
        }

        public int ResponseSignatureLength { get; set; }

        /// <summary>Client-Id header value of the response, ASCII.</summary>
        public byte[] ResponseClientId
        {
            get { return _responseClientId; }
        }

        public int ResponseClientIdLength { get; set; }

        /// <summary>Content-Range header value of the response (RFC 9110 14.4), ASCII.</summary>
        public byte[] ResponseContentRange
        {
            get { return _responseContentRange; }
        }

        public int ResponseContentRangeLength { get; set; }

        /// <summary>Receives the response body at <see cref="ResponseBodyOffset"/>.</summary>
        public byte[] ResponseBuffer
        {
            get { return _responseBuffer; }
        }

        public int ResponseBodyOffset
        {
            get { return _reserved; }
        }

        public int ResponseBodyCapacity
        {
            get { return _responseBuffer.Length - _reserved; }
        }

        public int ResponseBodyLength { get; set; }

        /// <summary>Forgets the previous response; the core calls it before each exchange.</summary>
        public void ClearResponse()
        {
            StatusCode = 0;
            ResponseTimeLength = 0;
            ResponseSignatureLength = 0;
            ResponseClientIdLength = 0;
            ResponseContentRangeLength = 0;
            ResponseBodyLength = 0;
        }
    }
}
