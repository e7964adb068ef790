using System;

namespace Terminal.Io.Http
{
    /// <summary>
    /// The gateway's base URL taken apart: <c>https://gw.example.com:8443/prefix</c> gives scheme https, host
    /// gw.example.com, port 8443 and base path /prefix (requests go to /prefix/ams/api/v1/...). Only what a device
    /// needs: a DNS name or IPv4 address, an optional port, an optional path; no user info, query or fragment.
    /// </summary>
    public sealed class GatewayAddress
    {
        private GatewayAddress(bool https, string host, int port, string basePath)
        {
            Https = https;
            Host = host;
            Port = port;
            BasePath = basePath;
            HostHeader = port == (https ? 443 : 80) ? host : host + ":" + port;
        }

        public bool Https { get; private set; }

        /// <summary>Host name or IPv4 address, lower case, as the TLS certificate must name it.</summary>
        public string Host { get; private set; }

        public int Port { get; private set; }

        /// <summary>Empty, or a path starting with '/' and not ending with one.</summary>
        public string BasePath { get; private set; }

        /// <summary>The Host header's value: the host, and the port when it is not the scheme's default (RFC 9110 7.2).</summary>
        public string HostHeader { get; private set; }

        /// <summary>Parses a base URL; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
        public static GatewayAddress Parse(string url)
        {
            if (url == null)
            {
                throw new ArgumentException("the gateway URL is missing", "url");
            }

            string lower = url.ToLower();
            bool https = lower.IndexOf("https://") == 0;
            if (!https && lower.IndexOf("http://") != 0)
            {
                throw new ArgumentException("the gateway URL must start with https:// (http:// only for a simulator)", "url");
            }

            int hostStart = https ? 8 : 7;
            int pathStart = url.IndexOf('/', hostStart);
            int authorityEnd = pathStart < 0 ? url.Length : pathStart;
            int colon = url.IndexOf(':', hostStart);
            int hostEnd = colon >= 0 && colon < authorityEnd ? colon : authorityEnd;
            string host = lower.Substring(hostStart, hostEnd - hostStart);
            if (!IsHostName(host))
            {
                throw new ArgumentException("the gateway URL must name a host (letters, digits, '-', '.'), e.g. https://gw.example.com:8443", "url");
            }

            int port = https ? 443 : 80;
            if (hostEnd < authorityEnd)
            {
                port = 0;
                int digits = authorityEnd - hostEnd - 1;
                for (int i = hostEnd + 1; i < authorityEnd; i++)
                {
                    char c = url[i];
                    if (c < '0' || c > '9' || port > 6553)
                    {
                        port = 0;
                        break;
                    }

                    port = port * 10 + (c - '0');
                }

                if (digits == 0 || port < 1 || port > 65535)
                {
                    throw new ArgumentException("the gateway URL's port must be 1 to 65535", "url");
                }
            }

            string path = pathStart < 0 ? string.Empty : url.Substring(pathStart);
            while (path.Length > 0 && path[path.Length - 1] == '/')
            {
                path = path.Substring(0, path.Length - 1);
            }

            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c <= ' ' || c > '~' || c == '?' || c == '#')
                {
                    throw new ArgumentException("the gateway URL's path may hold printable ASCII only, no query or fragment", "url");
                }
            }

            return new GatewayAddress(https, host, port, path);
        }

        private static bool IsHostName(string host)
        {
            if (host.Length == 0 || host.Length > 253 || host[0] == '.' || host[0] == '-')
            {
                return false;
            }

            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
