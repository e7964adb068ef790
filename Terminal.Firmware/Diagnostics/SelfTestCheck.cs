namespace Terminal.Firmware.Diagnostics
{
    /// <summary>A known-answer check that has nothing to say but whether it passed.</summary>
    public delegate bool SelfTestCheck();
}
