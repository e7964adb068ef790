namespace Terminal.Updates.Staging
{
    /// <summary>Where a bundle's files come from: on the device the gateway, one HTTP range request per call.</summary>
    public interface IBundleSource
    {
        /// <summary>
        /// Copies up to <paramref name="count"/> bytes of <paramref name="fileName"/> from byte <paramref name="from"/> into
        /// <c>buffer[offset ..]</c>; returns how many (0 past the end of what the source holds). Throws
        /// System.IO.IOException when the network fails (the step is retried later).
        /// </summary>
        int Fetch(string fileName, int from, byte[] buffer, int offset, int count);
    }
}
