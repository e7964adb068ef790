namespace Terminal.Firmware.HostLink
{
    /// <summary>Runs the terminal's self-test, each check's line through <paramref name="info"/>, and counts the results.</summary>
    public delegate void SelfTestRunner(HostLinkInfoWriter info, out int passed, out int failed);
}
