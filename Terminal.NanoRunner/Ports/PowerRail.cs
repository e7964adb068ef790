namespace Terminal.NanoRunner.Ports
{
    /// <summary>
    /// The terminal's supply. While it is off nothing the firmware does reaches storage or the network: the code
    /// that still runs models a device that has already lost power, whose later work must leave no trace.
    /// </summary>
    public sealed class PowerRail
    {
        public PowerRail()
        {
            On = true;
        }

        public bool On { get; private set; }

        public void Cut()
        {
            On = false;
        }

        public void Restore()
        {
            On = true;
        }
    }
}
