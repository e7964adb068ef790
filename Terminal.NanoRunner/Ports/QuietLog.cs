using Terminal.Core.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>The firmware's log, dropped: the runner's lines are its steps, identical on both runtimes.</summary>
    public sealed class QuietLog : ILog
    {
        public void Write(LogLevel level, string message)
        {
        }
    }
}
