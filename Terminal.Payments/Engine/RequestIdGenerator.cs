using Terminal.Core.Ports;
using Terminal.Core.Text;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// Builds paymentRequestId / refundRequestId values: device id, the journal's persisted counter as 12 decimal
    /// digits, and 8 random characters from [0-9A-Z]. Letters and digits only, at most 32 + 12 + 8 = 52 characters
    /// (Antom: at most 64, no special characters; docs/antom-protocol.md 3.1). Unique across reboots because the counter is
    /// committed to the journal together with the transaction that uses it, before the id is ever sent; the random
    /// part keeps ids distinct even if storage were wiped and the counter restarted.
    /// </summary>
    public sealed class RequestIdGenerator
    {
        /// <summary>Characters of the counter part.</summary>
        public const int CounterDigits = 12;

        /// <summary>Characters of the random part.</summary>
        public const int RandomLength = 8;

        private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

        private readonly IRandom _random;
        private readonly byte[] _entropy = new byte[RandomLength];

        public RequestIdGenerator(IRandom random)
        {
            _random = random;
        }

        /// <summary>
        /// Writes the id for counter value <paramref name="number"/> into <paramref name="target"/>.
        /// <paramref name="deviceId"/> must be letters and digits (the configuration parser checks it).
        /// </summary>
        public void Create(string deviceId, long number, TextField target)
        {
            if (number < 0 || number > 999999999999L)
            {
                throw new System.ArgumentOutOfRangeException("number", "request counter exhausted");
            }

            int length = deviceId.Length + CounterDigits + RandomLength;
            if (length > target.Capacity)
            {
                throw new System.ArgumentException("device id too long for a request id", "deviceId");
            }

            byte[] bytes = target.Bytes;
            int p = 0;
            for (int i = 0; i < deviceId.Length; i++)
            {
                bytes[p++] = (byte)deviceId[i];
            }

            long n = number;
            for (int i = CounterDigits - 1; i >= 0; i--)
            {
                bytes[p + i] = (byte)('0' + (int)(n % 10));
                n /= 10;
            }

            p += CounterDigits;
            _random.NextBytes(_entropy, 0, RandomLength);
            for (int i = 0; i < RandomLength; i++)
            {
                bytes[p++] = (byte)Alphabet[_entropy[i] % Alphabet.Length];
            }

            target.SetLength(p);
        }

        /// <summary>True when the text is a well-formed id: 1..64 letters and digits.</summary>
        public static bool IsValid(TextField id)
        {
            if (id.Length < 1 || id.Length > 64)
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                byte c = id.Bytes[i];
                bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
