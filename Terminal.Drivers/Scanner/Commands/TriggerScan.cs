namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>
    /// Starts one scan in command-triggered mode: zone 0x0002 = 0x01, i.e. <c>7E 00 08 01 00 02 01 02 DA</c>
    /// (the CRC form of the manual's <c>... 02 01 AB CD</c>). The module clears the bit itself, answers with
    /// the ACK, and then sends the decoded data, so the code framer strips that ACK.
    /// </summary>
    public sealed class TriggerScan : IGm65Command
    {
        private static readonly byte[] Start = new byte[] { (byte)Gm65Zones.TriggerStart };

        /// <inheritdoc />
        public byte Type
        {
            get { return Gm65Protocol.TypeWriteZones; }
        }

        /// <inheritdoc />
        public int Address
        {
            get { return Gm65Zones.Trigger; }
        }

        /// <inheritdoc />
        public int Length
        {
            get { return Gm65Frame.LengthFor(1); }
        }

        /// <inheritdoc />
        public int WriteTo(byte[] buffer, int offset)
        {
            return Gm65Frame.Write(buffer, offset, Type, Address, Start, 0, 1);
        }
    }
}
