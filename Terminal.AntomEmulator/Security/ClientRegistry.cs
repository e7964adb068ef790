namespace Terminal.AntomEmulator;

/// <summary>Merchant public keys by Client-Id and key version (several versions = key rotation).</summary>
internal sealed class ClientRegistry : IDisposable
{
    private readonly Dictionary<string, SortedDictionary<int, RsaPool>> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public enum Lookup
    {
        Found,
        UnknownClient,
        KeyNotFound,
    }

    public void Register(string clientId, byte[] subjectPublicKeyInfo, int keyVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        if (keyVersion < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keyVersion), "key versions are not negative");
        }

        RsaPool pool;
        try
        {
            pool = RsaPool.ForPublicKey(subjectPublicKeyInfo);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException("not an RSA SubjectPublicKeyInfo: " + e.Message, nameof(subjectPublicKeyInfo), e);
        }

        lock (_gate)
        {
            if (!_clients.TryGetValue(clientId, out var versions))
            {
                versions = new SortedDictionary<int, RsaPool>();
                _clients.Add(clientId, versions);
            }

            if (versions.Remove(keyVersion, out var old))
            {
                old.Dispose();
            }

            versions.Add(keyVersion, pool);
        }
    }

    /// <summary>Finds the key; no <paramref name="keyVersion"/> = the latest (Antom's documented default).</summary>
    public Lookup Find(string clientId, int? keyVersion, out RsaPool? key)
    {
        key = null;
        lock (_gate)
        {
            if (!_clients.TryGetValue(clientId, out var versions) || versions.Count == 0)
            {
                return Lookup.UnknownClient;
            }

            if (keyVersion is int version)
            {
                return versions.TryGetValue(version, out key) ? Lookup.Found : Lookup.KeyNotFound;
            }

            key = versions.Last().Value;
            return Lookup.Found;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var versions in _clients.Values)
            {
                foreach (var pool in versions.Values)
                {
                    pool.Dispose();
                }
            }

            _clients.Clear();
        }
    }
}
