using System;
using System.IO;
using Terminal.Esp32.Bindings;
using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Updates.Staging;

namespace Terminal.Esp32.Updates
{
    /// <summary>
    /// One folder per version under <c>I:\ota</c> for the update's staging. The volume is small (2 MB on an 8 MB
    /// module, docs/ota.md), so before a version is staged the folders of versions nothing can boot any more are
    /// deleted: every one but the boot, installed, known-good and on-trial folders and the one asked for. A cut
    /// during that leaves part of a folder the boot record does not name, deleted at the next staging.
    /// </summary>
    internal sealed class FlashVersionFolders : IStagingFolders
    {
        private readonly string _root;
        private readonly BootSelector _record;

        /// <param name="bootFolder">Its own handle on the boot record's folder (the staging runs on the desk's worker).</param>
        public FlashVersionFolders(string root, ILoaderFolder bootFolder)
        {
            _root = root;
            _record = new BootSelector(bootFolder);
        }

        public IStorageFolder Folder(string version)
        {
            string name = VersionFolderName.Of(version);
            DeleteUnbootable(name);
            return new FlashFolder(_root + "\\" + name);
        }

        private void DeleteUnbootable(string staging)
        {
            BootState state = _record.State;
            string active = VersionFolderName.Of(state.Active);
            string candidate = state.OnTrial ? state.Candidate : active;
            string[] folders = Directory.GetDirectories(_root);
            for (int i = 0; i < folders.Length; i++)
            {
                // Full paths, as Directory.GetFiles gives them (docs/device-build.md section 7, row 15).
                string path = folders[i];
                string name = path.Substring(path.LastIndexOf('\\') + 1);
                if (name == VersionFolderName.Boot || name == VersionFolderName.Installed || name == active || name == candidate || name == staging)
                {
                    continue;
                }

                try
                {
                    Directory.Delete(_root + "\\" + name, true);
                }
                catch (Exception e)
                {
                    throw new IOException("deleting " + name + " under " + _root + " failed: " + e.Message, e);
                }
            }
        }
    }
}
