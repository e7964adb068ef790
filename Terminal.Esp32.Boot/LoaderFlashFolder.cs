using System;
using System.IO;
using Terminal.Loader.Boot;

namespace Terminal.Esp32.Boot
{
    /// <summary>
    /// <see cref="ILoaderFolder"/> over one folder of the internal flash volume I: (littlefs). The application's
    /// Terminal.Esp32.Bindings.FlashFolder does the same for the app; this one is the flashed program's own, since
    /// the flashed part references nothing an update replaces. littlefs commits a file when it is closed, so
    /// <see cref="CloseWrite"/> closes it (docs/device-build.md section 7, row 14); nothing is renamed.
    /// </summary>
    internal sealed class LoaderFlashFolder : ILoaderFolder
    {
        private readonly string _folder;
        private FileStream _reader;
        private FileStream _writer;

        public LoaderFlashFolder(string folder)
        {
            _folder = folder;
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
                // Only the boot record is written here, in its own folder; a missing folder is a fresh device.
                if (!Directory.Exists(_folder))
                {
                    Directory.CreateDirectory(_folder);
                }

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
