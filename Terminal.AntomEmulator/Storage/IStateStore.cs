namespace Terminal.AntomEmulator;

/// <summary>A registered merchant key as stored.</summary>
internal sealed record StoredClientKey(string ClientId, int KeyVersion, byte[] SubjectPublicKeyInfo);

/// <summary>Everything a store gives back at start.</summary>
internal sealed record StoredState(
    IReadOnlyList<Payment> Payments,
    IReadOnlyList<Refund> Refunds,
    IReadOnlyList<IssuedCode> Codes,
    IReadOnlyList<StoredClientKey> ClientKeys);

/// <summary>
/// Write-through persistence. The emulator's state always lives in memory; a store only keeps a copy so it
/// survives a restart. Called with <see cref="EmulatorState.Gate"/> held.
/// </summary>
internal interface IStateStore : IDisposable
{
    StoredState Load();

    void SavePayment(Payment payment);

    void SaveRefund(Refund refund);

    void SaveCode(IssuedCode code);

    void SaveClientKey(StoredClientKey key);

    byte[]? GetBlob(string name);

    void SetBlob(string name, byte[] value);
}

/// <summary>The default: nothing survives the process.</summary>
internal sealed class MemoryOnlyStore : IStateStore
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public StoredState Load() => new(Array.Empty<Payment>(), Array.Empty<Refund>(), Array.Empty<IssuedCode>(), Array.Empty<StoredClientKey>());

    public void SavePayment(Payment payment)
    {
    }

    public void SaveRefund(Refund refund)
    {
    }

    public void SaveCode(IssuedCode code)
    {
    }

    public void SaveClientKey(StoredClientKey key)
    {
    }

    public byte[]? GetBlob(string name) => _blobs.TryGetValue(name, out var value) ? value : null;

    public void SetBlob(string name, byte[] value) => _blobs[name] = value;

    public void Dispose()
    {
    }
}
