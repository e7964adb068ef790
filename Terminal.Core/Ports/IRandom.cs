namespace Terminal.Core.Ports
{
    /// <summary>Entropy for request ids (ESP32: hardware RNG; PC: RandomNumberGenerator).</summary>
    public interface IRandom
    {
        /// <summary>Fills <c>buffer[offset .. offset+count)</c> with random bytes.</summary>
        void NextBytes(byte[] buffer, int offset, int count);
    }
}
