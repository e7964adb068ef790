using System;
using Terminal.Core.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// Log lines on nanoFramework's console, which goes over the debug link (COM1/USB) to Visual Studio's output
    /// window or any wire-protocol monitor; unlike Debug.WriteLine it stays in Release builds.
    /// </summary>
    public sealed class ConsoleLog : ILog
    {
        private readonly LogLevel _minimum;

        public ConsoleLog(LogLevel minimum)
        {
            _minimum = minimum;
        }

        public void Write(LogLevel level, string message)
        {
            if (level < _minimum)
            {
                return;
            }

            Console.WriteLine(Prefix(level) + message);
        }

        // Enum ToString() gives a number on nanoFramework, hence the table.
        private static string Prefix(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Debug:
                    return "DBG ";
                case LogLevel.Info:
                    return "INF ";
                case LogLevel.Warning:
                    return "WRN ";
                default:
                    return "ERR ";
            }
        }
    }
}
