namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>
    /// Types 0x09: saves every zone to the module's flash so settings survive power-off. The manual's frame
    /// is <c>7E 00 09 01 00 00 00 DE C8</c> (address 0x0000, one data byte 00); the reply is the ACK.
    /// Flash wears: the driver saves only when it changed something.
    /// </summary>
    public sealed class SaveZoneBits : IGm65Command
    {
        private static readonly byte[] Zero = new byte[] { 0x00 };

        /// <inheritdoc />
        public byte Type
        {
            get { return Gm65Protocol.TypeSaveZones; }
        }

        /// <inheritdoc />
        public int Address
        {
            get { return 0x0000; }
        }

        /// <inheritdoc />
        public int Length
        {
            get { return Gm65Frame.LengthFor(1); }
        }

        /// <inheritdoc />
        public int WriteTo(byte[] buffer, int offset)
        {
            return Gm65Frame.Write(buffer, offset, Type, Address, Zero, 0, 1);
        }
    }
}
