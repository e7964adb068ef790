using Terminal.Core.Crypto;
using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Updates.Manifest;

namespace Terminal.Updates.Staging
{
    /// <summary>
    /// Stages one offered bundle into the candidate's folder, a piece per <see cref="Step"/> so that the caller runs
    /// it only while the terminal is idle and stops between any two pieces (docs/ota.md, "Staging"):
    /// <list type="number">
    /// <item><see cref="Begin"/> refuses a manifest that is not authenticated for this terminal, not well formed, not
    /// newer than the running version (unless the offer allows a downgrade), or that requires flashed assemblies this
    /// device does not have. The manifest is stored first; a folder that holds another manifest is emptied, one that
    /// holds the same one is resumed;</item>
    /// <item>each step downloads one range into piece file <c>name.k</c> (the loader's <see cref="ChunkedAppFiles"/>
    /// format); a piece whose length is right is kept on resume;</item>
    /// <item>a file whose pieces are all there is checked against the manifest's SHA-256; a mismatch deletes it and
    /// downloads it once more, a second mismatch refuses the bundle; a source that ends before the manifest's size
    /// refuses it as truncated;</item>
    /// <item>with every file checked, the load list is written and the version is put on trial
    /// (<see cref="BootSelector.Switch"/>): the last write, so a power cut at any byte before it leaves the running
    /// version the one that boots.</item>
    /// </list>
    /// </summary>
    public sealed class UpdateStaging
    {
        /// <summary>The stored manifest (piece 0 of it, as every file here).</summary>
        public const string ManifestFile = "manifest.json";

        private readonly IStorageFolder _folder;
        private readonly IBundleSource _source;
        private readonly BootSelector _boot;
        private readonly byte[] _piece;
        private readonly Sha256 _sha = new Sha256();
        private readonly byte[] _hash = new byte[Sha256.HashSize];
        private UpdateManifest _manifest;
        private bool[] _checked;
        private int _mismatches;

        /// <param name="pieceBytes">The download range and piece size.</param>
        public UpdateStaging(IStorageFolder candidateFolder, IBundleSource source, BootSelector boot, int pieceBytes)
        {
            if (candidateFolder == null || source == null || boot == null || pieceBytes < 1)
            {
                throw new System.ArgumentException("folder, source, boot selector and a piece size are required");
            }

            _folder = candidateFolder;
            _source = source;
            _boot = boot;
            _piece = new byte[pieceBytes];
        }

        public StagingStatus Status { get; private set; }

        /// <summary>Why the bundle was refused (for the heartbeat), or "".</summary>
        public string Reason { get; private set; }

        /// <summary>The version being staged, once <see cref="Begin"/> accepted it.</summary>
        public string Version
        {
            get { return _manifest == null ? "" : _manifest.Version; }
        }

        /// <summary>Bytes of the bundle's files staged so far (for the heartbeat's progress).</summary>
        public int StagedBytes { get; private set; }

        /// <summary>Checks the offer and prepares the folder; returns <see cref="StagingStatus.Working"/> or Refused.</summary>
        public StagingStatus Begin(byte[] manifest, byte[] mac, ManifestAuthentication authentication, string runningVersion, bool allowDowngrade, IFlashedVersions flashed)
        {
            _manifest = null;
            _mismatches = 0;
            StagedBytes = 0;
            Reason = "";
            if (manifest == null || !authentication.IsAuthentic(manifest, 0, manifest.Length, mac, 0))
            {
                return Refuse("manifest not authenticated for this terminal");
            }

            UpdateManifest m;
            try
            {
                m = UpdateManifest.Parse(manifest, 0, manifest.Length);
            }
            catch (ManifestException e)
            {
                return Refuse("manifest refused: " + e.Message);
            }

            if (AppVersion.IsValid(runningVersion))
            {
                int order = AppVersion.Compare(m.Version, runningVersion);
                if (order == 0)
                {
                    return Refuse("version " + m.Version + " is running already");
                }

                if (order < 0 && !allowDowngrade)
                {
                    return Refuse("version " + m.Version + " is older than " + runningVersion + " and the offer allows no downgrade");
                }
            }

            for (int i = 0; i < m.RequireCount; i++)
            {
                string have = flashed.VersionOf(m.RequiredAssembly(i));
                if (have != m.RequiredVersion(i))
                {
                    return Refuse("requires " + m.RequiredAssembly(i) + " " + m.RequiredVersion(i) + ", this terminal has " + (have == null ? "none" : have));
                }
            }

            if (!Holds(ManifestFile + ".0", manifest))
            {
                string[] files = _folder.List();
                for (int i = 0; i < files.Length; i++)
                {
                    _folder.Delete(files[i]);
                }

                _folder.Create(ManifestFile + ".0");
                _folder.Write(manifest, 0, manifest.Length);
                _folder.CloseWrite();
            }

            _manifest = m;
            _checked = new bool[m.FileCount];
            Status = StagingStatus.Working;
            return Status;
        }

        /// <summary>One piece downloaded, or one file checked, or the switch. IOException (storage or network) leaves
        /// everything staged so far; the next call goes on from there.</summary>
        public StagingStatus Step()
        {
            if (Status != StagingStatus.Working || _manifest == null)
            {
                return Status;
            }

            StagedBytes = 0;
            for (int f = 0; f < _manifest.FileCount; f++)
            {
                if (_checked[f])
                {
                    StagedBytes += _manifest.FileSize(f);
                    continue;
                }

                string name = _manifest.FileName(f);
                int size = _manifest.FileSize(f);
                int pieces = (size + _piece.Length - 1) / _piece.Length;
                for (int k = 0; k < pieces; k++)
                {
                    int length = k < pieces - 1 ? _piece.Length : size - (k * _piece.Length);
                    int have = _folder.OpenRead(name + "." + k);
                    _folder.CloseRead();
                    if (have == length)
                    {
                        StagedBytes += length;
                        continue;
                    }

                    return Download(name, k, length);
                }

                return Check(f, name, pieces);
            }

            _folder.Create(LoadList.FileName + ".0");
            byte[] list = LoadList.Write(_manifest.EntryType + "." + _manifest.EntryMethod, _manifest.FileNames());
            _folder.Write(list, 0, list.Length);
            _folder.CloseWrite();
            _boot.Switch(_manifest.Version);
            Status = StagingStatus.Staged;
            return Status;
        }

        private StagingStatus Download(string name, int piece, int length)
        {
            int got = 0;
            while (got < length)
            {
                int n = _source.Fetch(name, (piece * _piece.Length) + got, _piece, got, length - got);
                if (n <= 0)
                {
                    return Refuse("truncated: " + name + " ends before its manifest size");
                }

                got += n;
            }

            _folder.Create(name + "." + piece);
            _folder.Write(_piece, 0, length);
            _folder.CloseWrite();
            StagedBytes += length;
            return Status;
        }

        private StagingStatus Check(int f, string name, int pieces)
        {
            // The loader joins pieces up to the first missing one: a piece past the end (left by a staging with a
            // smaller piece size) must go before the file counts as checked.
            _folder.Delete(name + "." + pieces);
            _sha.Reset();
            for (int k = 0; k < pieces; k++)
            {
                int length = _folder.OpenRead(name + "." + k);
                int read = 0;
                while (read < length)
                {
                    int n = _folder.Read(_piece, 0, _piece.Length);
                    if (n <= 0)
                    {
                        break;
                    }

                    _sha.Update(_piece, 0, n);
                    read += n;
                }

                _folder.CloseRead();
            }

            _sha.Final(_hash, 0);
            if (FixedTime.Equals(_hash, 0, _manifest.FileSha256(f), 0, Sha256.HashSize))
            {
                _checked[f] = true;
                return Status;
            }

            for (int k = 0; k < pieces; k++)
            {
                _folder.Delete(name + "." + k);
            }

            if (++_mismatches > 1)
            {
                return Refuse("sha256 of " + name + " differs from the manifest");
            }

            return Status;
        }

        private bool Holds(string file, byte[] expected)
        {
            int length = _folder.OpenRead(file);
            try
            {
                if (length != expected.Length)
                {
                    return false;
                }

                int read = 0;
                while (read < length)
                {
                    int n = _folder.Read(_piece, 0, length - read < _piece.Length ? length - read : _piece.Length);
                    if (n <= 0)
                    {
                        return false;
                    }

                    for (int i = 0; i < n; i++)
                    {
                        if (_piece[i] != expected[read + i])
                        {
                            return false;
                        }
                    }

                    read += n;
                }

                return true;
            }
            finally
            {
                _folder.CloseRead();
            }
        }

        private StagingStatus Refuse(string reason)
        {
            Reason = reason;
            Status = StagingStatus.Refused;
            return Status;
        }
    }
}
