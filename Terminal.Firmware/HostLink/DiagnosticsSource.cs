namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// Lines for DIAG: the terminal's (versions, state, scanner, display...) or a platform's extra ones (the ESP32's
    /// free heap, Wi-Fi, clock...); called on the host-link thread when DIAG is asked for.
    /// </summary>
    public delegate string[] DiagnosticsSource();
}
