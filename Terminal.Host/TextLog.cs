using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>Writes log lines ("2026-11-25T20:01:02.345Z INFO message") to a text writer, by default the console.</summary>
public sealed class TextLog : ILog
{
    private readonly TextWriter _writer;
    private readonly LogLevel _minimum;
    private readonly object _gate = new();

    public TextLog(TextWriter? writer = null, LogLevel minimum = LogLevel.Info)
    {
        _writer = writer ?? Console.Out;
        _minimum = minimum;
    }

    public void Write(LogLevel level, string message)
    {
        if (level < _minimum)
        {
            return;
        }

        string line = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ") + " " + LevelName(level) + " " + message;
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };
}
