namespace Terminal.DeviceLink.Heartbeat
{
    /// <summary>
    /// The update component as the heartbeat sees it (docs/ota.md): it hears each trusted answer's offer and says
    /// what the next body reports. Both are called on the desk's worker; neither may allocate in steady state
    /// (the same offer again, nothing new to report).
    /// </summary>
    public interface IUpdateLink
    {
        /// <summary>A trusted answer arrived: its well-formed offer, or null when it offered nothing.</summary>
        void Offered(UpdateOffer offer);

        /// <summary>Fills <see cref="HeartbeatFacts.UpdateVersion"/> and the other update facts (version null: nothing to say).</summary>
        void Report(HeartbeatFacts facts);
    }
}
