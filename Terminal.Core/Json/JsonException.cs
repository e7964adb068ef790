using System;

namespace Terminal.Core.Json
{
    /// <summary>Malformed JSON or a limit exceeded; <see cref="BytePosition"/> counts from the start of the JSON text.</summary>
    public class JsonException : Exception
    {
        public JsonException(string message, int bytePosition)
            : base(message)
        {
            BytePosition = bytePosition;
        }

        /// <summary>Offset of the offending byte from the start of the JSON text (the offset given to Reset).</summary>
        public int BytePosition { get; private set; }
    }
}
