namespace Terminal.Loader.Boot
{
    /// <summary>
    /// The names of the loader's folders under a platform's update root (on the ESP32 <c>I:\ota</c>), the one layout
    /// the flashed boot program, the application's staging and the flashing tool agree on (docs/ota.md, "On the
    /// ESP32"): <see cref="Boot"/> holds the boot record, <see cref="Installed"/> the version installed with the
    /// loader (the boot record's ""), every other version a folder named by its version.
    /// </summary>
    public static class VersionFolderName
    {
        public const string Boot = "boot";

        public const string Installed = "installed";

        /// <summary>The folder of <paramref name="version"/>: <see cref="Installed"/> for "" (or null). A version is
        /// digits and dots, so it never names the boot or installed folder.</summary>
        public static string Of(string version)
        {
            return version == null || version.Length == 0 ? Installed : version;
        }
    }
}
