namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The terminal's parts as the heartbeat reports them (the composition knows the scanner and the display). Each
    /// answer is one of the words docs/fleet-link.md lists, a constant: called once per heartbeat, allocates nothing.
    /// </summary>
    public interface IPartsHealth
    {
        /// <summary>"ok", "absent", "not_configured", "not_responding" or "configuration_failed".</summary>
        string Scanner();

        /// <summary>"ok", "write_failed" or "not_initialised".</summary>
        string Display();
    }
}
