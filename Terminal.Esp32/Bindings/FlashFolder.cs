using System;
using System.IO;
using Terminal.Io.Storage;
using Terminal.Loader.Boot;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IStorageFolder"/> over one folder of the ESP32's internal flash volume I: (littlefs on the
    /// "config" partition), for the portable <see cref="Terminal.Io.Storage.RecordStore"/> that keeps the
    /// journal there, and, as an <see cref="ILoaderFolder"/> (the same members), for the update component's boot record
    /// and version folders under <c>I:\ota</c> (<see cref="Terminal.Esp32.Updates.FlashUpdatePorts"/>).
    /// </summary>
    /// <remarks>
    /// littlefs commits a file's new contents when it is closed (lfs_file_close syncs); nanoFramework's
    /// FileStream.Flush only passes stdio's buffer on (fflush), so <see cref="CloseWrite"/> closes the file, and a
    /// cut before that leaves the file as it was before or, for a new file, empty. Nothing here renames a file:
    /// File.Move falls back to copy-then-delete when the native rename fails, and deletes the source even when
    /// that copy fails (System.IO.FileSystem File.cs; docs/device-build.md).
    /// </remarks>
    public sealed class FlashFolder : IStorageFolder, ILoaderFolder
    {
        private readonly string _folder;
        private FileStream _reader;
        private FileStream _writer;

        /// <param name="folder">e.g. <c>I:\records</c>; created if missing.</param>
        public FlashFolder(string folder)
        {
            _folder = folder;
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        public string[] List()
        {
            try
            {
                // Full paths, "I:\records\journal.a~0": the names are what follows the folder.
                string[] paths = Directory.GetFiles(_folder);
                string[] names = new string[paths.Length];
                for (int i = 0; i < paths.Length; i++)
                {
                    string path = paths[i];
                    names[i] = path.Substring(path.LastIndexOf('\\') + 1);
                }

                return names;
            }
            catch (Exception e)
            {
                throw Failure("listing", _folder, e);
            }
        }

        public int OpenRead(string file)
        {
            CloseRead();
            string path = PathOf(file);
            try
            {
                if (!File.Exists(path))
                {
                    return -1;
                }

                _reader = new FileStream(path, FileMode.Open, FileAccess.Read);
                return (int)_reader.Length;
            }
            catch (Exception e)
            {
                CloseRead();
                throw Failure("opening", path, e);
            }
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _reader.Read(buffer, offset, count);
            }
            catch (Exception e)
            {
                throw Failure("reading", _folder, e);
            }
        }

        public void CloseRead()
        {
            FileStream reader = _reader;
            _reader = null;
            if (reader != null)
            {
                reader.Dispose();
            }
        }

        public void Create(string file)
        {
            CloseWrite();
            string path = PathOf(file);
            try
            {
                _writer = new FileStream(path, FileMode.Create, FileAccess.Write);
            }
            catch (Exception e)
            {
                throw Failure("creating", path, e);
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                _writer.Write(buffer, offset, count);
            }
            catch (Exception e)
            {
                throw Failure("writing", _folder, e);
            }
        }

        public void CloseWrite()
        {
            FileStream writer = _writer;
            _writer = null;
            if (writer == null)
            {
                return;
            }

            try
            {
                writer.Flush();
            }
            catch (Exception e)
            {
                writer.Dispose();
                throw Failure("flushing", _folder, e);
            }

            try
            {
                writer.Dispose();
            }
            catch (Exception e)
            {
                throw Failure("closing", _folder, e);
            }
        }

        public void Delete(string file)
        {
            string path = PathOf(file);
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (Exception e)
            {
                throw Failure("deleting", path, e);
            }
        }

        private string PathOf(string file)
        {
            if (file == null || file.Length == 0 || file.IndexOf('\\') >= 0 || file.IndexOf('/') >= 0)
            {
                throw new ArgumentException("not a plain file name", "file");
            }

            return _folder + "\\" + file;
        }

        private static IOException Failure(string what, string path, Exception e)
        {
            IOException io = e as IOException;
            return io != null ? io : new IOException(what + " " + path + " failed: " + e.Message, e);
        }
    }
}
