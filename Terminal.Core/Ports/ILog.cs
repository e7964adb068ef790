namespace Terminal.Core.Ports
{
    /// <summary>Severity of a log line.</summary>
    public enum LogLevel
    {
        Debug = 0,
        Info = 1,
        Warning = 2,
        Error = 3,
    }

    /// <summary>
    /// Diagnostic log (serial console, file, ILogger). Hot loops log only constant strings so that logging
    /// allocates nothing; state changes may build messages.
    /// </summary>
    public interface ILog
    {
        void Write(LogLevel level, string message);
    }
}
