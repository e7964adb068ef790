using Terminal.Io.Storage;

namespace Terminal.Tests.Storage;

/// <summary>What a file being written looks like after a power cut in the middle of it.</summary>
public enum CutShape
{
    /// <summary>Only the bytes written before the cut (a log-structured or append-only medium).</summary>
    Truncated,

    /// <summary>The bytes written before the cut over the file's earlier contents (in-place overwrite, as FAT).</summary>
    OverOldBytes,

    /// <summary>The bytes written before the cut, then zeros up to the length the file had (preallocated blocks).</summary>
    ZeroFilled,

    /// <summary>The file as it was before it was opened for writing (littlefs commits a file when it is closed).</summary>
    Uncommitted,
}

/// <summary>
/// An in-memory <see cref="IStorageFolder"/> that fails on command: a power cut after a number of written bytes or
/// before a numbered operation (the device is then dead, every call throws, until <see cref="Reboot"/>), a write
/// that fails with an IOException part-way while the device keeps running (a full partition), deletes that fail.
/// Every write is visible at once (no cache), which is the harshest order for the code above.
/// </summary>
public sealed class FaultyFolder : IStorageFolder
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private string? _reading;
    private int _readPosition;
    private string? _writing;
    private byte[]? _beforeWrite;
    private long _bytesWritten;
    private int _operations;

    /// <summary>The power fails once this many more bytes have been written; the write in progress keeps those.</summary>
    public long CutAfterBytes { get; set; } = long.MaxValue;

    /// <summary>The power fails just before this many more changing operations (create, write, close, delete) have run.</summary>
    public int CutBeforeOperation { get; set; } = int.MaxValue;

    public CutShape Shape { get; set; } = CutShape.Truncated;

    /// <summary>A write fails with an IOException once this many more bytes have been written (those are kept).</summary>
    public long FailAfterBytes { get; set; } = long.MaxValue;

    public bool FailDeletes { get; set; }

    public bool Dead { get; private set; }

    /// <summary>Changing operations run so far (to size a loop that cuts before each of them).</summary>
    public int Operations => _operations;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _bytesWritten;

    public IReadOnlyCollection<string> Names => _files.Keys;

    public byte[]? Get(string file) => _files.TryGetValue(file, out byte[]? data) ? data : null;

    public void Set(string file, byte[] data) => _files[file] = data;

    /// <summary>Power comes back: faults cleared, open files forgotten.</summary>
    public void Reboot()
    {
        Dead = false;
        CutAfterBytes = long.MaxValue;
        CutBeforeOperation = int.MaxValue;
        FailAfterBytes = long.MaxValue;
        FailDeletes = false;
        _reading = null;
        _writing = null;
        _beforeWrite = null;
    }

    public string[] List()
    {
        Alive();
        return _files.Keys.ToArray();
    }

    public int OpenRead(string file)
    {
        Alive();
        _reading = null;
        if (!_files.ContainsKey(file))
        {
            return -1;
        }

        _reading = file;
        _readPosition = 0;
        return _files[file].Length;
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        Alive();
        byte[] data = _files[_reading ?? throw new InvalidOperationException("nothing open for reading")];
        int n = Math.Min(count, data.Length - _readPosition);
        Array.Copy(data, _readPosition, buffer, offset, n);
        _readPosition += n;
        return n;
    }

    public void CloseRead()
    {
        Alive();
        _reading = null;
    }

    public void Create(string file)
    {
        Operation();
        _beforeWrite = _files.TryGetValue(file, out byte[]? old) ? old : null;
        _writing = file;
        _files[file] = [];
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        Operation();
        string file = _writing ?? throw new InvalidOperationException("nothing open for writing");
        bool cut = CutAfterBytes < count;
        bool fail = !cut && FailAfterBytes < count;
        int kept = cut ? (int)CutAfterBytes : fail ? (int)FailAfterBytes : count;
        byte[] current = _files[file];
        byte[] next = new byte[current.Length + kept];
        Array.Copy(current, next, current.Length);
        Array.Copy(buffer, offset, next, current.Length, kept);
        _files[file] = next;
        CutAfterBytes -= kept;
        FailAfterBytes -= kept;
        _bytesWritten += kept;
        if (cut)
        {
            PowerCut();
        }

        if (fail)
        {
            FailAfterBytes = long.MaxValue;
            throw new IOException("no space left on the medium");
        }
    }

    public void CloseWrite()
    {
        if (_writing == null)
        {
            Alive();
            return;
        }

        Operation();
        _writing = null;
        _beforeWrite = null;
    }

    public void Delete(string file)
    {
        Operation();
        if (FailDeletes)
        {
            throw new IOException("delete refused by the medium");
        }

        _files.Remove(file);
    }

    /// <summary>Leaves the file being written as <see cref="Shape"/> says and kills the device.</summary>
    private void PowerCut()
    {
        string? file = _writing;
        if (file != null)
        {
            byte[] written = _files[file];
            byte[] old = _beforeWrite ?? [];
            _files[file] = Shape switch
            {
                CutShape.Uncommitted => old,
                CutShape.OverOldBytes when old.Length > written.Length => [.. written, .. old.AsSpan(written.Length)],
                CutShape.ZeroFilled when old.Length > written.Length => [.. written, .. new byte[old.Length - written.Length]],
                _ => written,
            };
        }

        Dead = true;
        _writing = null;
        _beforeWrite = null;
        throw new IOException("power cut");
    }

    private void Operation()
    {
        Alive();
        if (CutBeforeOperation == 0)
        {
            PowerCut();
        }

        CutBeforeOperation--;
        _operations++;
    }

    private void Alive()
    {
        if (Dead)
        {
            throw new IOException("the device is off");
        }
    }
}
