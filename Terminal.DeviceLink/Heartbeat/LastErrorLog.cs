using Terminal.Core.Ports;

namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The terminal's log with a memory of its last error line, which the heartbeat reports (the composition passes
    /// this to every component instead of the platform's log). Keeps a reference, copies nothing.
    /// </summary>
    public sealed class LastErrorLog : ILog
    {
        private readonly ILog _inner;
        private string _lastError;

        /// <param name="inner">The platform's log; null for none.</param>
        public LastErrorLog(ILog inner)
        {
            _inner = inner;
        }

        /// <summary>The newest Error line (its first <see cref="HeartbeatFacts.MaxErrorLength"/> characters), or null.</summary>
        public string LastError
        {
            get { return _lastError; }
        }

        public void Write(LogLevel level, string message)
        {
            if (level == LogLevel.Error)
            {
                _lastError = message != null && message.Length > HeartbeatFacts.MaxErrorLength ? message.Substring(0, HeartbeatFacts.MaxErrorLength) : message;
            }

            if (_inner != null)
            {
                _inner.Write(level, message);
            }
        }
    }
}
