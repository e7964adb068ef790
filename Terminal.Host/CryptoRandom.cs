using System.Security.Cryptography;
using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>Request-id entropy from the operating system's CSPRNG.</summary>
public sealed class CryptoRandom : IRandom
{
    public void NextBytes(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
}
