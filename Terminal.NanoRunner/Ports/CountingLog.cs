using Terminal.Firmware.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>Counts log lines by level and keeps the last error (for a failing step's detail); prints nothing.</summary>
    public sealed class CountingLog : ILog
    {
        public int Warnings { get; private set; }

        public int Errors { get; private set; }

        public string LastError { get; private set; }

        public void Write(LogLevel level, string message)
        {
            if (level == LogLevel.Warning)
            {
                Warnings++;
            }
            else if (level == LogLevel.Error)
            {
                Errors++;
                LastError = message;
            }
        }
    }
}
