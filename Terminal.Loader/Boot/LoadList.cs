namespace Terminal.Loader.Boot
{
    /// <summary>
    /// How to start one application version, kept beside its files as <see cref="FileName"/> (ASCII, one item per
    /// line, '\n'): the entry point <c>Namespace.Type.Method</c>, then the .pe files in load order. The application
    /// writes it from the verified manifest when it stages a version; the loader reads it at boot (it parses no JSON:
    /// that code lives in the assemblies an update replaces).
    /// </summary>
    public sealed class LoadList
    {
        public const string FileName = "load.lst";

        private LoadList(string entryType, string entryMethod, string[] files)
        {
            EntryType = entryType;
            EntryMethod = entryMethod;
            Files = files;
        }

        public string EntryType { get; private set; }

        public string EntryMethod { get; private set; }

        public string[] Files { get; private set; }

        /// <summary>The bytes of a load list.</summary>
        public static byte[] Write(string entry, string[] files)
        {
            int length = entry.Length + 1;
            for (int i = 0; i < files.Length; i++)
            {
                length += files[i].Length + 1;
            }

            byte[] b = new byte[length];
            int at = Put(b, 0, entry);
            for (int i = 0; i < files.Length; i++)
            {
                at = Put(b, at, files[i]);
            }

            return b;
        }

        /// <summary>The load list in <paramref name="bytes"/>; throws <see cref="AppLoadException"/> when it is cut or malformed.</summary>
        public static LoadList Parse(byte[] bytes)
        {
            if (bytes == null || bytes.Length == 0 || bytes[bytes.Length - 1] != (byte)'\n')
            {
                throw new AppLoadException("load list missing or cut");
            }

            int lines = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n')
                {
                    lines++;
                }
                else if (bytes[i] < 0x21 || bytes[i] > 0x7E)
                {
                    throw new AppLoadException("load list: not printable ASCII");
                }
            }

            if (lines < 2)
            {
                throw new AppLoadException("load list: no files");
            }

            string[] files = new string[lines - 1];
            int start = 0;
            string entry = Line(bytes, ref start);
            for (int i = 0; i < files.Length; i++)
            {
                files[i] = Line(bytes, ref start);
            }

            int dot = entry.LastIndexOf('.');
            if (dot <= 0 || dot == entry.Length - 1)
            {
                throw new AppLoadException("load list: entry is not Namespace.Type.Method");
            }

            return new LoadList(entry.Substring(0, dot), entry.Substring(dot + 1), files);
        }

        private static string Line(byte[] b, ref int start)
        {
            int end = start;
            while (b[end] != (byte)'\n')
            {
                end++;
            }

            if (end == start)
            {
                throw new AppLoadException("load list: empty line");
            }

            char[] chars = new char[end - start];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)b[start + i];
            }

            start = end + 1;
            return new string(chars);
        }

        private static int Put(byte[] b, int at, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '!' || c > '~')
                {
                    throw new System.ArgumentException("load list items are printable ASCII without spaces");
                }

                b[at++] = (byte)c;
            }

            b[at++] = (byte)'\n';
            return at;
        }
    }
}
