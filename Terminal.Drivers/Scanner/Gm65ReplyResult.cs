namespace Terminal.Drivers.Scanner
{
    /// <summary>What one byte fed to a <see cref="Gm65ReplyParser"/> completed. Wire faults are values.</summary>
    public enum Gm65ReplyResult
    {
        /// <summary>Nothing completed: waiting for a frame or inside one.</summary>
        None = 0,

        /// <summary>A whole reply with a good CRC: read <see cref="Gm65ReplyParser.Status"/> and the data.</summary>
        Reply,

        /// <summary>A whole reply whose CRC did not match; it is dropped.</summary>
        BadCrc,

        /// <summary>A reply announced more data bytes than the parser holds; it is dropped.</summary>
        TooLong,

        /// <summary>After <c>02</c> came a byte other than <c>00</c>: not a reply.</summary>
        NotAReply,
    }
}
