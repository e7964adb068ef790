using System.Collections.Concurrent;
using System.Security.Cryptography;
using Terminal.Gateway.DeviceApi;

namespace Terminal.Gateway.Devices;

/// <summary>
/// The per-label keys (<see cref="DeviceKeys.Derive"/>) of device keys seen recently, so that a request does not decrypt
/// its device key (AES-GCM) and derive two HMAC keys every time. An entry is found by device id, key version and label,
/// and is used only when the stored ciphertext the request's own database read returned is the one the entry was derived
/// from: whatever changes a key (a rotation adds a version with a new ciphertext, a row rewritten under another
/// key-encryption key or replaced by hand) misses the cache, on every instance sharing the database, with no
/// invalidation message. Retirement and revocation are not cached at all: the request's database read decides them.
/// Entries are dropped when a key is rotated or a device revoked on this instance (<see cref="Forget"/>), and all of them
/// when the cache is full (a fleet larger than <see cref="MaxEntries"/> label keys only derives more often).
/// </summary>
public sealed class DerivedKeyCache
{
    /// <summary>Most label keys kept: 4 labels for each of 25,000 devices, about 10 MB.</summary>
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string DeviceId, int KeyVersion, string Label), Entry> _entries = new();

    private sealed record Entry(string Ciphertext, byte[] Key);

    /// <summary>The key of <paramref name="label"/> for the device key stored as <paramref name="ciphertext"/>; derived
    /// (after <paramref name="decrypt"/>) when not cached for exactly that ciphertext. The array is shared: never changed
    /// or cleared by the caller.</summary>
    /// <exception cref="CryptographicException">From <paramref name="decrypt"/>: the stored key cannot be decrypted.</exception>
    public byte[] Get(string deviceId, int keyVersion, string ciphertext, string label, Func<byte[]> decrypt) =>
        Get(deviceId, keyVersion, ciphertext, label, decrypt, static d => d());

    /// <summary>As above, with the state <paramref name="decrypt"/> needs passed in, so that a hit (every request but the
    /// first of a key) allocates no closure.</summary>
    public byte[] Get<TState>(string deviceId, int keyVersion, string ciphertext, string label, TState state, Func<TState, byte[]> decrypt)
    {
        var id = (deviceId, keyVersion, label);
        if (_entries.TryGetValue(id, out var entry) && string.Equals(entry.Ciphertext, ciphertext, StringComparison.Ordinal)) return entry.Key;
        byte[] deviceKey = decrypt(state);
        byte[] derived;
        try
        {
            derived = DeviceKeys.Derive(deviceKey, label);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(deviceKey);
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[id] = new Entry(ciphertext, derived);
        return derived;
    }

    /// <summary>Drops every cached key of a device (its key was rotated or the device revoked on this instance).</summary>
    public void Forget(string deviceId)
    {
        foreach (var id in _entries.Keys)
        {
            if (id.DeviceId == deviceId) _entries.TryRemove(id, out _);
        }
    }

    /// <summary>Label keys held now (tests).</summary>
    internal int Count => _entries.Count;
}
