using System;

namespace Terminal.Core.Json
{
    /// <summary>
    /// The caller's buffer cannot hold the next piece of JSON. The writer is left as it was before the call
    /// that failed, so a caller may retry with a larger buffer after copying <see cref="JsonWriter.Length"/> bytes.
    /// </summary>
    public class JsonBufferTooSmallException : Exception
    {
        public JsonBufferTooSmallException(int needed, int available)
            : base("JSON buffer too small: needs " + needed + " bytes, has " + available)
        {
            Needed = needed;
            Available = available;
        }

        /// <summary>Total bytes the output would have needed after the failed call.</summary>
        public int Needed { get; private set; }

        /// <summary>Size of the buffer.</summary>
        public int Available { get; private set; }
    }
}
