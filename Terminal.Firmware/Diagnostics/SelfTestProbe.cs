namespace Terminal.Firmware.Diagnostics
{
    /// <summary>A known-answer check: null when fine, else what differed.</summary>
    public delegate string SelfTestProbe();
}
