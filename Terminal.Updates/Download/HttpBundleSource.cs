using System.IO;
using Terminal.Core.Ports;
using Terminal.Payments.Antom;
using Terminal.Updates.Staging;

namespace Terminal.Updates.Download
{
    /// <summary>
    /// A bundle's files from the gateway (docs/ota.md, "Files"): one <c>GET /terminal/v1/updates/&lt;version&gt;/&lt;name&gt;</c>
    /// with <c>Range: bytes=a-b</c> per <see cref="Fetch"/>, signed with the download key (label
    /// <see cref="SignatureKeys.UpdateDownload"/>) over the method, path, Client-Id and Request-Time, in the desk
    /// worker's exchange (<see cref="Use"/> for one turn; <see cref="Release"/> gives it back as a POST without a
    /// range). The answers are not signed: the staging checks every byte against the authenticated manifest.
    /// A range is at most the exchange's response capacity, so one call is one request. Answers: 206 with a
    /// Content-Range that must start where asked and match the body's length; 200 (a server that ignores Range)
    /// with the whole file, of which the asked part is taken; 416 means past the end (0 returned). Anything else,
    /// and a network failure, throws IOException. Allocates nothing per call except the path when the file changes.
    /// </summary>
    public sealed class HttpBundleSource : IBundleSource
    {
        /// <summary>The gateway's update path (DeviceRouteGroups.TerminalApiPrefix + "/updates/").</summary>
        public const string PathPrefix = "/terminal/v1/updates/";

        private readonly IHttpExchange _http;
        private readonly Hs256Signer _signer;
        private readonly IClock _clock;
        private readonly int _timeoutMs;
        private readonly ContentRange _range = new ContentRange();
        private HttpExchange _exchange;
        private string _version;
        private string _pathFile;
        private string _path;

        /// <param name="signer">A signer with the download label and no answer key.</param>
        public HttpBundleSource(IHttpExchange http, Hs256Signer signer, IClock clock, int timeoutMs)
        {
            if (http == null || signer == null || clock == null)
            {
                throw new System.ArgumentNullException(http == null ? "http" : signer == null ? "signer" : "clock");
            }

            _http = http;
            _signer = signer;
            _clock = clock;
            _timeoutMs = timeoutMs;
            TotalLength = -1;
        }

        /// <summary>The whole file's length as the last answer gave it (Content-Range's complete length, or a 200's
        /// body), -1 when it did not say.</summary>
        public int TotalLength { get; private set; }

        /// <summary>Requests sent (tests, DIAG).</summary>
        public int Requests { get; private set; }

        /// <summary>Borrows <paramref name="exchange"/> (the desk worker's, free between transactions) for downloads of
        /// <paramref name="version"/>'s files.</summary>
        public void Use(HttpExchange exchange, string version)
        {
            if (version != _version)
            {
                _pathFile = null;
            }

            _exchange = exchange;
            _version = version;
        }

        /// <summary>Gives the exchange back as the transactions expect it: a POST, no range.</summary>
        public void Release()
        {
            if (_exchange != null)
            {
                _exchange.Method = "POST";
                _exchange.RangeFrom = 0;
                _exchange.RangeLength = 0;
                _exchange.ClearResponse();
                _exchange = null;
            }
        }

        public int Fetch(string fileName, int from, byte[] buffer, int offset, int count)
        {
            HttpExchange x = _exchange;
            if (x == null)
            {
                throw new System.InvalidOperationException("no exchange: call Use first");
            }

            if (fileName != _pathFile)
            {
                _path = PathPrefix + _version + "/" + fileName;
                _pathFile = fileName;
            }

            int asked = count < x.ResponseBodyCapacity ? count : x.ResponseBodyCapacity;
            TotalLength = -1;
            x.RangeFrom = from;
            x.RangeLength = asked;
            _signer.SignWithoutBody(x, "GET", _path, _clock.UtcNowMs());
            Requests++;
            HttpExchangeStatus status = _http.Send(x, _timeoutMs);
            if (status != HttpExchangeStatus.Completed)
            {
                throw new IOException("update download failed: " + fileName + " network");
            }

            int body = x.ResponseBodyLength;
            switch (x.StatusCode)
            {
                case 206:
                    if (!_range.Parse(x.ResponseContentRange, x.ResponseContentRangeLength) || _range.First != from
                        || _range.Last - _range.First + 1 != body || body < 1 || body > asked || _range.Complete <= _range.Last)
                    {
                        throw new IOException("update download: " + fileName + " answered a range other than asked");
                    }

                    TotalLength = _range.Complete;
                    System.Array.Copy(x.ResponseBuffer, x.ResponseBodyOffset, buffer, offset, body);
                    return body;

                case 200:
                    TotalLength = body;
                    if (from >= body)
                    {
                        return 0;
                    }

                    int n = body - from < asked ? body - from : asked;
                    System.Array.Copy(x.ResponseBuffer, x.ResponseBodyOffset + from, buffer, offset, n);
                    return n;

                case 416:
                    return 0;

                default:
                    throw new IOException("update download: " + fileName + " answered HTTP " + x.StatusCode);
            }
        }
    }
}
