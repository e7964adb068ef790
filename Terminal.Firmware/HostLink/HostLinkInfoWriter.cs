namespace Terminal.Firmware.HostLink
{
    /// <summary>Sends one INFO line of the answer being built (SELFTEST's checks, one per line).</summary>
    public delegate void HostLinkInfoWriter(string text);
}
