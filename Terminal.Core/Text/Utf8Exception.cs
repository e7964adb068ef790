using System;

namespace Terminal.Core.Text
{
    /// <summary>Invalid UTF-8 met by <see cref="Utf8.DecodeStrict"/>; <see cref="BytePosition"/> is relative to the offset given.</summary>
    public class Utf8Exception : Exception
    {
        public Utf8Exception(string message, int bytePosition)
            : base(message)
        {
            BytePosition = bytePosition;
        }

        /// <summary>Index of the first byte of the invalid sequence, counted from the offset passed to the decoder.</summary>
        public int BytePosition { get; private set; }
    }
}
