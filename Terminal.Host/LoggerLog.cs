using Microsoft.Extensions.Logging;
using FirmwareLevel = Terminal.Core.Ports.LogLevel;

namespace Terminal.Host;

/// <summary>Forwards the firmware log to a Microsoft.Extensions.Logging <see cref="ILogger"/>.</summary>
public sealed class LoggerLog : Terminal.Core.Ports.ILog
{
    private readonly ILogger _logger;

    public LoggerLog(ILogger logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public void Write(FirmwareLevel level, string message)
    {
        LogLevel mapped = level switch
        {
            FirmwareLevel.Debug => LogLevel.Debug,
            FirmwareLevel.Info => LogLevel.Information,
            FirmwareLevel.Warning => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        _logger.Log(mapped, "{Message}", message);
    }
}
