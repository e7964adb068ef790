using Terminal.Core.Json;

namespace Terminal.Updates.Manifest
{
    /// <summary>
    /// A bundle's manifest (docs/ota.md, "Bundle"), format 1, UTF-8 JSON:
    /// <code>
    /// {"format":1,"version":"1.4.0","entry":"Terminal.Esp32.Program.Main",
    ///  "requires":[{"assembly":"mscorlib","version":"1.17.11.0"}, ...],
    ///  "files":[{"name":"Terminal.Core.pe","size":35328,"sha256":"&lt;64 lowercase hex&gt;"}, ...]}
    /// </code>
    /// <c>files</c> are in load order (dependencies first; the last holds <c>entry</c>); <c>requires</c> lists the
    /// flashed assemblies (runtime and native libraries) the files reference, at the version they were built against.
    /// Parsing is strict: unknown, duplicate or missing members, a file named twice (ignoring case: the record
    /// store's FAT does), a name that is not a plain ".pe" file name, sizes out of bounds, or bad hex are refused
    /// with <see cref="ManifestException"/>. The exact bytes are what the gateway authenticates per device
    /// (<see cref="ManifestAuthentication"/>); parse only bytes whose MAC was checked.
    /// </summary>
    public sealed class UpdateManifest
    {
        /// <summary>The manifest format this code reads.</summary>
        public const int Format = 1;

        /// <summary>Most files in a bundle.</summary>
        public const int MaxFiles = 16;

        /// <summary>Most flashed assemblies a bundle may require.</summary>
        public const int MaxRequires = 24;

        /// <summary>Largest file: a .pe addresses its tables with 16-bit offsets, so one is far below this.</summary>
        public const int MaxFileBytes = 262144;

        /// <summary>Largest bundle, all files together (they are all loaded into RAM at boot).</summary>
        public const int MaxBundleBytes = 1048576;

        /// <summary>Longest manifest accepted.</summary>
        public const int MaxManifestBytes = 8192;

        /// <summary>Longest file or assembly name.</summary>
        public const int MaxNameLength = 64;

        // Grown one by one (Append): a string[] whose slots are not all written crashes nanoCLR when compared.
        private readonly int[] _sizes = new int[MaxFiles];
        private readonly byte[][] _hashes = new byte[MaxFiles][];
        private string[] _names = new string[0];
        private string[] _requiredNames = new string[0];
        private string[] _requiredVersions = new string[0];

        private UpdateManifest()
        {
        }

        public string Version { get; private set; }

        /// <summary>Full name of the type whose static method starts the application.</summary>
        public string EntryType { get; private set; }

        public string EntryMethod { get; private set; }

        public int FileCount { get; private set; }

        public int RequireCount { get; private set; }

        /// <summary>All files' sizes added up.</summary>
        public int TotalBytes { get; private set; }

        public string FileName(int index)
        {
            return _names[Check(index, FileCount)];
        }

        public int FileSize(int index)
        {
            return _sizes[Check(index, FileCount)];
        }

        /// <summary>The file's SHA-256 (32 bytes; the manifest's own array, do not change it).</summary>
        public byte[] FileSha256(int index)
        {
            return _hashes[Check(index, FileCount)];
        }

        public string RequiredAssembly(int index)
        {
            return _requiredNames[Check(index, RequireCount)];
        }

        public string RequiredVersion(int index)
        {
            return _requiredVersions[Check(index, RequireCount)];
        }

        /// <summary>The files' names in load order (a new array).</summary>
        public string[] FileNames()
        {
            string[] names = new string[FileCount];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = _names[i];
            }

            return names;
        }

        /// <summary>Parses <c>buffer[offset .. offset+count)</c>; throws <see cref="ManifestException"/> on anything but a
        /// well-formed format-1 manifest.</summary>
        public static UpdateManifest Parse(byte[] buffer, int offset, int count)
        {
            if (count > MaxManifestBytes)
            {
                throw new ManifestException("manifest longer than " + MaxManifestBytes + " bytes");
            }

            UpdateManifest m = new UpdateManifest();
            JsonReader r = new JsonReader(4, 128);
            try
            {
                r.Reset(buffer, offset, count);
                m.ReadRoot(r);
            }
            catch (JsonException e)
            {
                throw new ManifestException("manifest is not well-formed JSON: " + e.Message);
            }

            return m;
        }

        private void ReadRoot(JsonReader r)
        {
            r.Read();
            Expect(r, JsonTokenType.StartObject, "manifest");
            bool format = false;
            bool files = false;
            bool requires = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueEquals("format"))
                {
                    Once(ref format, "format");
                    r.Read();
                    long f;
                    if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out f) || f != Format)
                    {
                        throw new ManifestException("format: this loader reads format " + Format);
                    }
                }
                else if (r.ValueEquals("version"))
                {
                    OnceString(Version, "version");
                    Version = ReadString(r, "version", AppVersion.MaxLength);
                    if (!AppVersion.IsValid(Version))
                    {
                        throw new ManifestException("version: not 1 to 4 numbers 0..65535 separated by dots");
                    }
                }
                else if (r.ValueEquals("entry"))
                {
                    OnceString(EntryType, "entry");
                    ReadEntry(ReadString(r, "entry", 127));
                }
                else if (r.ValueEquals("requires"))
                {
                    Once(ref requires, "requires");
                    ReadRequires(r);
                }
                else if (r.ValueEquals("files"))
                {
                    Once(ref files, "files");
                    ReadFiles(r);
                }
                else
                {
                    throw new ManifestException("unknown member " + r.GetString());
                }
            }

            while (r.Read())
            {
            }

            if (!format || Version == null || EntryType == null || !requires || !files)
            {
                throw new ManifestException("format, version, entry, requires and files are required");
            }
        }

        private void ReadEntry(string entry)
        {
            int dot = entry.LastIndexOf('.');
            if (dot <= 0 || dot == entry.Length - 1)
            {
                throw new ManifestException("entry: not Namespace.Type.Method");
            }

            for (int i = 0; i < entry.Length; i++)
            {
                char c = entry[i];
                if (!(c == '.' || c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                {
                    throw new ManifestException("entry: only letters, digits, '_' and '.'");
                }
            }

            EntryType = entry.Substring(0, dot);
            EntryMethod = entry.Substring(dot + 1);
        }

        private void ReadRequires(JsonReader r)
        {
            r.Read();
            Expect(r, JsonTokenType.StartArray, "requires");
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (RequireCount == MaxRequires)
                {
                    throw new ManifestException("requires: more than " + MaxRequires + " assemblies");
                }

                Expect(r, JsonTokenType.StartObject, "requires[]");
                string name = null;
                string version = null;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueEquals("assembly"))
                    {
                        OnceString(name, "requires[].assembly");
                        name = ReadString(r, "requires[].assembly", MaxNameLength);
                        if (!IsPlainName(name))
                        {
                            throw new ManifestException("requires[].assembly: not a plain assembly name");
                        }
                    }
                    else if (r.ValueEquals("version"))
                    {
                        OnceString(version, "requires[].version");
                        version = ReadString(r, "requires[].version", AppVersion.MaxLength);
                        if (!AppVersion.IsValid(version))
                        {
                            throw new ManifestException("requires[].version: not a version");
                        }
                    }
                    else
                    {
                        throw new ManifestException("requires[]: unknown member " + r.GetString());
                    }
                }

                if (name == null || version == null)
                {
                    throw new ManifestException("requires[]: assembly and version are required");
                }

                _requiredNames = Append(_requiredNames, name);
                _requiredVersions = Append(_requiredVersions, version);
                RequireCount++;
            }
        }

        private void ReadFiles(JsonReader r)
        {
            r.Read();
            Expect(r, JsonTokenType.StartArray, "files");
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (FileCount == MaxFiles)
                {
                    throw new ManifestException("files: more than " + MaxFiles);
                }

                Expect(r, JsonTokenType.StartObject, "files[]");
                string name = null;
                long size = -1;
                byte[] hash = null;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueEquals("name"))
                    {
                        OnceString(name, "files[].name");
                        name = ReadString(r, "files[].name", MaxNameLength);
                        if (!IsPlainName(name) || !EndsWithPe(name))
                        {
                            throw new ManifestException("files[].name: not a plain .pe file name");
                        }
                    }
                    else if (r.ValueEquals("size"))
                    {
                        if (size >= 0)
                        {
                            throw new ManifestException("files[].size: given twice");
                        }

                        r.Read();
                        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out size) || size < 1 || size > MaxFileBytes)
                        {
                            throw new ManifestException("files[].size: not 1.." + MaxFileBytes);
                        }
                    }
                    else if (r.ValueEquals("sha256"))
                    {
                        if (hash != null)
                        {
                            throw new ManifestException("files[].sha256: given twice");
                        }

                        hash = ReadHash(r);
                    }
                    else
                    {
                        throw new ManifestException("files[]: unknown member " + r.GetString());
                    }
                }

                if (name == null || size < 0 || hash == null)
                {
                    throw new ManifestException("files[]: name, size and sha256 are required");
                }

                for (int i = 0; i < FileCount; i++)
                {
                    if (SameIgnoringCase(_names[i], name))
                    {
                        throw new ManifestException("files: " + name + " named twice");
                    }
                }

                if (TotalBytes + size > MaxBundleBytes)
                {
                    throw new ManifestException("files: more than " + MaxBundleBytes + " bytes in all");
                }

                _names = Append(_names, name);
                _sizes[FileCount] = (int)size;
                _hashes[FileCount] = hash;
                TotalBytes += (int)size;
                FileCount++;
            }

            if (FileCount == 0)
            {
                throw new ManifestException("files: none");
            }
        }

        private static byte[] ReadHash(JsonReader r)
        {
            string hex = ReadString(r, "files[].sha256", 64);
            if (hex.Length != 64)
            {
                throw new ManifestException("files[].sha256: not 64 hex digits");
            }

            byte[] hash = new byte[32];
            for (int i = 0; i < 32; i++)
            {
                hash[i] = (byte)((Nibble(hex[2 * i]) << 4) | Nibble(hex[(2 * i) + 1]));
            }

            return hash;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            throw new ManifestException("files[].sha256: not lowercase hex");
        }

        private static string ReadString(JsonReader r, string field, int maxLength)
        {
            r.Read();
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ManifestException(field + ": not a string");
            }

            string s = r.GetString();
            if (s.Length == 0 || s.Length > maxLength)
            {
                throw new ManifestException(field + ": empty or longer than " + maxLength);
            }

            return s;
        }

        private static bool IsPlainName(string name)
        {
            if (name[0] == '.')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!(c == '.' || c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool EndsWithPe(string name)
        {
            int n = name.Length;
            return n > 3 && name[n - 3] == '.' && (name[n - 2] | 0x20) == 'p' && (name[n - 1] | 0x20) == 'e';
        }

        private static bool SameIgnoringCase(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                char x = a[i];
                char y = b[i];
                if (x >= 'A' && x <= 'Z')
                {
                    x = (char)(x + 32);
                }

                if (y >= 'A' && y <= 'Z')
                {
                    y = (char)(y + 32);
                }

                if (x != y)
                {
                    return false;
                }
            }

            return true;
        }

        private static string[] Append(string[] items, string item)
        {
            string[] grown = new string[items.Length + 1];
            for (int i = 0; i < items.Length; i++)
            {
                grown[i] = items[i];
            }

            grown[items.Length] = item;
            return grown;
        }

        private static void Expect(JsonReader r, JsonTokenType type, string field)
        {
            if (r.TokenType != type)
            {
                throw new ManifestException(field + ": wrong JSON type");
            }
        }

        private static void Once(ref bool seen, string field)
        {
            if (seen)
            {
                throw new ManifestException(field + ": given twice");
            }

            seen = true;
        }

        private static void OnceString(string seen, string field)
        {
            if (seen != null)
            {
                throw new ManifestException(field + ": given twice");
            }
        }

        private static int Check(int index, int count)
        {
            if (index < 0 || index >= count)
            {
                throw new System.ArgumentOutOfRangeException("index");
            }

            return index;
        }
    }
}
