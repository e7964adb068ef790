using Terminal.Core.Ports;
using Terminal.Io.Storage;

namespace Terminal.Host;

/// <summary>
/// Named records as files in one folder of the PC: the portable <see cref="RecordStore"/> (two self-verifying
/// slot files per record, never a rename) over <see cref="DiskFolder"/>, the same code the ESP32 runs over its
/// flash. Opening the folder tidies what an interrupted write left and converts records of the earlier format
/// (<c>name</c> with <c>name.tmp</c>/<c>name.new</c>). Not for several processes at once.
/// </summary>
public sealed class FolderStorage : IDurableStorage
{
    /// <summary>Opens (creating if needed) the folder.</summary>
    public FolderStorage(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        Records = new RecordStore(new DiskFolder(Folder));
    }

    public string Folder { get; }

    /// <summary>The store, for its recovery counters.</summary>
    public RecordStore Records { get; }

    public int Read(string name, byte[] buffer, int offset, int count) => Records.Read(name, buffer, offset, count);

    public void Write(string name, byte[] buffer, int offset, int count) => Records.Write(name, buffer, offset, count);

    public void Delete(string name) => Records.Delete(name);
}
