namespace Terminal.Firmware.HostLink
{
    /// <summary>The STATUS line: a state word, then details (docs/host-link.md).</summary>
    public delegate string StatusSource();
}
