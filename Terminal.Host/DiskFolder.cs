using Terminal.Io.Storage;

namespace Terminal.Host;

/// <summary>
/// <see cref="IStorageFolder"/> over one directory of the PC's file system. <see cref="CloseWrite"/> flushes the
/// file to the disk (fsync). The directory entry of a new file is not synced separately: the PC bindings stand
/// for a device in the simulator and tests, where a crash of the process, not of the operating system, is the
/// fault that matters.
/// </summary>
internal sealed class DiskFolder : IStorageFolder
{
    private readonly string _folder;
    private FileStream? _reader;
    private FileStream? _writer;

    public DiskFolder(string folder)
    {
        _folder = folder;
    }

    public string[] List() => Directory.GetFiles(_folder).Select(Path.GetFileName).OfType<string>().ToArray();

    public int OpenRead(string file)
    {
        CloseRead();
        try
        {
            _reader = new FileStream(PathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            return -1;
        }

        if (_reader.Length > int.MaxValue)
        {
            throw new IOException("file too large for a record: " + file);
        }

        return (int)_reader.Length;
    }

    public int Read(byte[] buffer, int offset, int count) =>
        (_reader ?? throw new InvalidOperationException("no file open for reading")).Read(buffer, offset, count);

    public void CloseRead()
    {
        _reader?.Dispose();
        _reader = null;
    }

    public void Create(string file)
    {
        CloseWrite();
        _writer = new FileStream(PathOf(file), FileMode.Create, FileAccess.Write, FileShare.None);
    }

    public void Write(byte[] buffer, int offset, int count) =>
        (_writer ?? throw new InvalidOperationException("no file open for writing")).Write(buffer, offset, count);

    public void CloseWrite()
    {
        FileStream? writer = _writer;
        _writer = null;
        if (writer == null)
        {
            return;
        }

        using (writer)
        {
            writer.Flush(flushToDisk: true);
        }
    }

    public void Delete(string file) => File.Delete(PathOf(file));

    private string PathOf(string file)
    {
        if (file.Length == 0 || file.IndexOfAny(['/', '\\']) >= 0 || file == "." || file == "..")
        {
            throw new ArgumentException("not a plain file name: '" + file + "'", nameof(file));
        }

        return Path.Combine(_folder, file);
    }
}
