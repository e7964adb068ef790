namespace Terminal.Firmware.App
{
    /// <summary>
    /// Extra DIAG lines from the platform the app runs on (the ESP32's free heap, Wi-Fi, clock...); called on the
    /// host-link thread when DIAG is asked for.
    /// </summary>
    public delegate string[] DiagnosticsSource();
}
