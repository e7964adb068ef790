using System.Text;
using Terminal.Core.Config;
using Terminal.Core.Ports;
using Terminal.Countertop.Pin;
using Terminal.Firmware.Config;
using Terminal.Payments.Engine;

namespace Terminal.ConfigCheck;

/// <summary>
/// Answers whether a PIN opens the merchant menu of a terminal.json, by the firmware's own check: the configuration
/// parsed as the device parses it, its menuPin loaded into the PIN vault and the PIN tried there (PBKDF2-HMAC-SHA256,
/// compared in fixed time). flash.ps1's tests prove with it that the hash flash.ps1 writes is the one the terminal accepts.
/// </summary>
public static class PinCheckCommand
{
    /// <summary>"accepted", "wrong", "not set" (no menuPin) or "error property: problem"; never the PIN itself.</summary>
    public static string Verdict(string json, string pin)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        TerminalConfig config;
        try
        {
            config = TerminalConfigParser.Parse(bytes, 0, bytes.Length);
        }
        catch (ConfigException e)
        {
            return "error " + e.Message;
        }

        PinVault vault = new PinVault(new NoRecords(), new PortableMac(new byte[32]), null, null);
        vault.Load(config.Menu.PinHashText, 0);
        return vault.Check(pin, 0) switch
        {
            PinCheck.Accepted => "accepted",
            PinCheck.NotSet => "not set",
            _ => "wrong",
        };
    }

    /// <summary>A device without a changed PIN: the configuration's menuPin is the PIN; a wrong try's count is not kept.</summary>
    private sealed class NoRecords : IDurableStorage
    {
        public int Read(string name, byte[] buffer, int offset, int count) => -1;

        public void Write(string name, byte[] buffer, int offset, int count)
        {
        }

        public void Delete(string name)
        {
        }
    }
}
