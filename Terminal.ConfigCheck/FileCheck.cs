using System.Text;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Terminal.Io.Http;

namespace Terminal.ConfigCheck;

/// <summary>
/// Judges a terminal.json as the ESP32 does at boot (Terminal.Esp32's ConfigFile.Load): the firmware's parser, the
/// device's own checks, and the gateway URL as the device's HTTP client reads it.
/// </summary>
public static class FileCheck
{
    /// <summary>Null when the device would start with <paramref name="json"/>, else "property: problem".</summary>
    public static string? Problem(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        try
        {
            TerminalConfig config = TerminalConfigParser.Parse(bytes, 0, bytes.Length);
            DeviceConfigChecks.Check(config);
            GatewayAddress.Parse(config.Network.GatewayUrl);
            return null;
        }
        catch (ConfigException e)
        {
            return e.Message;
        }
        catch (ArgumentException e)
        {
            return "gatewayUrl: " + e.Message;
        }
    }
}
