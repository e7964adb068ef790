using Terminal.Core.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>Predictable "entropy" (a running byte counter) so request ids are the same on every runtime.</summary>
    public sealed class SequenceRandom : IRandom
    {
        private byte _next = 0x31;

        public void NextBytes(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = _next;
                _next = (byte)(_next * 5 + 3);
            }
        }
    }
}
