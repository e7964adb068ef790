using Terminal.Firmware.Ports;

namespace Terminal.Host;

/// <summary>
/// Named records as files in one folder. A replace is made atomic by a protocol that survives a crash at
/// any point and is finished or undone when the next instance opens the folder:
/// <list type="number">
/// <item>write <c>name.tmp</c> and flush it to the disk;</item>
/// <item>rename <c>name.tmp</c> to <c>name.new</c> (from now on the new content is complete and wins);</item>
/// <item>delete <c>name</c>;</item>
/// <item>rename <c>name.new</c> to <c>name</c>.</item>
/// </list>
/// Recovery: every <c>.tmp</c> is deleted (it may be partial); every <c>.new</c> replaces its record (steps 3-4).
/// A reader therefore sees the old or the new record, never a mixture. Not for concurrent writers.
/// </summary>
public sealed class FolderStorage : IDurableStorage
{
    internal const string TempSuffix = ".tmp";
    internal const string NewSuffix = ".new";

    private readonly string _folder;

    /// <summary>Opens (creating if needed) the folder and finishes or undoes any half-done replace.</summary>
    public FolderStorage(string folder)
    {
        _folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(_folder);
        Recover();
    }

    public string Folder => _folder;

    public int Read(string name, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = stream.Length;
            if (length > int.MaxValue)
            {
                throw new IOException("record too large: " + name);
            }

            int toRead = (int)Math.Min(length, count);
            stream.ReadExactly(buffer, offset, toRead);
            return (int)length;
        }
        catch (FileNotFoundException)
        {
            return -1;
        }
    }

    public void Write(string name, byte[] buffer, int offset, int count)
    {
        string path = PathOf(name);
        string temp = path + TempSuffix;
        string fresh = path + NewSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(buffer, offset, count);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, fresh, overwrite: true);
        File.Delete(path);
        File.Move(fresh, path);
    }

    public void Delete(string name)
    {
        string path = PathOf(name);
        File.Delete(path + TempSuffix);
        File.Delete(path + NewSuffix);
        File.Delete(path);
    }

    private void Recover()
    {
        foreach (string temp in Directory.GetFiles(_folder, "*" + TempSuffix))
        {
            File.Delete(temp);
        }

        foreach (string fresh in Directory.GetFiles(_folder, "*" + NewSuffix))
        {
            string path = fresh.Substring(0, fresh.Length - NewSuffix.Length);
            File.Delete(path);
            File.Move(fresh, path);
        }
    }

    private string PathOf(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name.EndsWith(TempSuffix, StringComparison.Ordinal)
            || name.EndsWith(NewSuffix, StringComparison.Ordinal) || name[0] == '.')
        {
            throw new ArgumentException("bad record name: '" + name + "'", nameof(name));
        }

        foreach (char c in name)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
            if (!ok)
            {
                throw new ArgumentException("bad record name: '" + name + "'", nameof(name));
            }
        }

        return Path.Combine(_folder, name);
    }
}
