namespace Terminal.Loader.Boot
{
    /// <summary>
    /// A version's files as the update's staging writes them: each file in pieces <c>name.0</c>, <c>name.1</c>, ...
    /// (one per download range, so a download resumes at the piece it was cut in) in the version's own folder.
    /// <see cref="ReadAll"/> joins the pieces up to the first missing one.
    /// </summary>
    public sealed class ChunkedAppFiles : IAppFiles
    {
        /// <summary>Most pieces one file may have.</summary>
        public const int MaxPieces = 1024;

        private readonly IVersionFolders _folders;

        public ChunkedAppFiles(IVersionFolders folders)
        {
            _folders = folders;
        }

        public byte[] ReadAll(string version, string fileName)
        {
            ILoaderFolder folder = _folders.Folder(version);
            int total = 0;
            int pieces = 0;
            while (pieces < MaxPieces)
            {
                int length = folder.OpenRead(fileName + "." + pieces);
                folder.CloseRead();
                if (length < 0)
                {
                    break;
                }

                total += length;
                pieces++;
            }

            if (pieces == 0)
            {
                return null;
            }

            byte[] all = new byte[total];
            int at = 0;
            for (int p = 0; p < pieces; p++)
            {
                int length = folder.OpenRead(fileName + "." + p);
                int end = at + length;
                while (at < end)
                {
                    int n = folder.Read(all, at, end - at);
                    if (n <= 0)
                    {
                        folder.CloseRead();
                        throw new AppLoadException("piece " + p + " of " + fileName + " shorter than its length");
                    }

                    at += n;
                }

                folder.CloseRead();
            }

            return all;
        }
    }
}
