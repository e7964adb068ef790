using System;
using System.IO;
using Terminal.Firmware.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// Named records as files in one folder of the ESP32's internal flash volume I: (littlefs on the "config"
    /// partition). A replace survives a power cut at any point:
    /// <list type="number">
    /// <item>write <c>name.tmp</c> and close it (it may be partial until closed);</item>
    /// <item>rename it to <c>name.new</c>: from now on the new content is complete and wins;</item>
    /// <item>delete <c>name</c>;</item>
    /// <item>rename <c>name.new</c> to <c>name</c>.</item>
    /// </list>
    /// At construction (boot) a half-finished replace is finished or undone: every <c>.tmp</c> is deleted,
    /// every <c>.new</c> replaces its record (steps 3 and 4). A reader sees the old or the new record, never a
    /// mixture. The same protocol as the PC binding (Terminal.Host FolderStorage).
    /// </summary>
    /// <remarks>
    /// nanoFramework's File.Move refuses an existing destination (hence the delete) and renames with the
    /// littlefs VFS, which is atomic on power loss (littlefs: copy-on-write, "falls back to the last known good
    /// state"). Records are written whole; the journal above keeps its own checksums against torn data.
    /// </remarks>
    public sealed class FlashStorage : IDurableStorage
    {
        private const string TempSuffix = ".tmp";
        private const string NewSuffix = ".new";
        private const int MaxNameLength = 48;

        private readonly string _folder;

        /// <param name="folder">e.g. <c>I:\records</c>; created if missing.</param>
        public FlashStorage(string folder)
        {
            _folder = folder;
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
            }

            Recover();
        }

        /// <summary>Replaces that were finished at boot (a power cut came between steps 2 and 4).</summary>
        public int RecoveredReplaces { get; private set; }

        /// <summary>Partial temporary files deleted at boot (a power cut came during step 1).</summary>
        public int DiscardedTemporaries { get; private set; }

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            string path = PathOf(name);
            if (!File.Exists(path))
            {
                return -1;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                long length = stream.Length;
                int wanted = length < count ? (int)length : count;
                int total = 0;
                while (total < wanted)
                {
                    int n = stream.Read(buffer, offset + total, wanted - total);
                    if (n <= 0)
                    {
                        throw new IOException("record " + name + " ended after " + total + " of " + length + " bytes");
                    }

                    total += n;
                }

                return (int)length;
            }
        }

        public void Write(string name, byte[] buffer, int offset, int count)
        {
            string path = PathOf(name);
            string temp = path + TempSuffix;
            string fresh = path + NewSuffix;
            try
            {
                using (FileStream stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(buffer, offset, count);
                    stream.Flush();
                }

                DeleteIfExists(fresh);
                File.Move(temp, fresh);
                DeleteIfExists(path);
                File.Move(fresh, path);
            }
            catch (IOException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new IOException("writing record " + name + " failed: " + e.Message, e);
            }
        }

        public void Delete(string name)
        {
            string path = PathOf(name);
            DeleteIfExists(path + TempSuffix);
            DeleteIfExists(path + NewSuffix);
            DeleteIfExists(path);
        }

        private void Recover()
        {
            string[] files = Directory.GetFiles(_folder);
            for (int i = 0; i < files.Length; i++)
            {
                string file = files[i];
                if (file.EndsWith(TempSuffix))
                {
                    File.Delete(file);
                    DiscardedTemporaries++;
                }
            }

            for (int i = 0; i < files.Length; i++)
            {
                string file = files[i];
                if (file.EndsWith(NewSuffix))
                {
                    string path = file.Substring(0, file.Length - NewSuffix.Length);
                    DeleteIfExists(path);
                    File.Move(file, path);
                    RecoveredReplaces++;
                }
            }
        }

        private string PathOf(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxNameLength || name[0] == '.'
                || name.EndsWith(TempSuffix) || name.EndsWith(NewSuffix))
            {
                throw new ArgumentException("bad record name: '" + name + "'", "name");
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok)
                {
                    throw new ArgumentException("bad record name: '" + name + "' (character " + i + ")", "name");
                }
            }

            return _folder + "\\" + name;
        }

        private static void DeleteIfExists(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
