namespace Terminal.Firmware.Diagnostics
{
    /// <summary>Receives one line of self-test output (console, host link, log).</summary>
    public delegate void SelfTestOutput(string line);
}
