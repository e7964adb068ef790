using System;
using System.IO;
using Terminal.Core.Checksums;
using Terminal.Core.Ports;

namespace Terminal.Io.Storage
{
    /// <summary>
    /// <see cref="IDurableStorage"/> over the files of one folder (<see cref="IStorageFolder"/>), shared by the
    /// ESP32 and PC bindings. Each record lives in one of two slot files, <c>name~0</c> and <c>name~1</c>, framed
    /// by <see cref="RecordEnvelope"/>:
    /// <list type="number">
    /// <item>a write goes into the slot that does not hold the current copy, with the next generation number;</item>
    /// <item>once that file is closed (on the medium), the older slot is deleted.</item>
    /// </list>
    /// A write cut or failing at any byte leaves a slot that fails its length or CRC check and the previous copy
    /// untouched in the other slot; a cut between the steps leaves two valid copies, of which the newer generation
    /// wins. So a reader sees the old or the new record, never a mixture: after a write that threw, the old one;
    /// after one that returned, the new one; after a power cut during a write, either.
    /// </summary>
    /// <remarks>
    /// <para>
    /// No file is ever renamed: nanoFramework's File.Move falls back to copy-then-delete when the native rename
    /// fails, deletes the source even when that copy fails, and so can turn one failure into the loss of both
    /// copies (docs/device-build.md, "Library behaviours"). Appending to a file and deleting one are all this
    /// needs.
    /// </para>
    /// <para>
    /// Start-up (the constructor) tidies the folder: slots that fail their check are deleted, of two valid slots
    /// the older is deleted, and records left by the earlier format (the bare file <c>name</c>, written by
    /// write-temporary-then-rename, with its <c>name.tmp</c> and <c>name.new</c>) are converted into a slot, so
    /// devices provisioned before keep their journal. A record that fails its check reads as absent.
    /// </para>
    /// </remarks>
    public sealed class RecordStore : IDurableStorage
    {
        /// <summary>Longest record name; with the slot suffix it stays within littlefs' 64-byte names.</summary>
        public const int MaxNameLength = 48;

        private const string Slot0 = "~0";
        private const string Slot1 = "~1";
        private const string LegacyTemp = ".tmp";
        private const string LegacyNew = ".new";
        private const int Absent = -1;
        private const int Invalid = -2;
        private const int ChunkLength = 128;

        private readonly IStorageFolder _folder;
        private readonly byte[] _chunk = new byte[ChunkLength];
        private readonly object _sync = new object();

        // Set by Inspect: the generation of the file it found valid.
        private uint _generation;

        /// <summary>Opens the folder and tidies what an interrupted write or the earlier format left.</summary>
        public RecordStore(IStorageFolder folder)
        {
            if (folder == null)
            {
                throw new ArgumentNullException("folder");
            }

            _folder = folder;
            lock (_sync)
            {
                Recover();
            }
        }

        /// <summary>Writes found complete at start-up beside the copy they replace (cut before the old one was deleted).</summary>
        public int RecoveredWrites { get; private set; }

        /// <summary>Files deleted at start-up because they were cut short or failed their check.</summary>
        public int DiscardedPartials { get; private set; }

        /// <summary>Records of the earlier format converted at start-up.</summary>
        public int ConvertedRecords { get; private set; }

        /// <summary>Reads that found only copies failing their check (reported as absent).</summary>
        public int CorruptReads { get; private set; }

        /// <summary>Older copies a write could not delete (the newer one wins; start-up deletes them).</summary>
        public int StaleCopies { get; private set; }

        public int Read(string name, byte[] buffer, int offset, int count)
        {
            CheckName(name);
            lock (_sync)
            {
                // Usually one slot exists: copy while checking it, and again only if the other one is newer.
                string slot1 = name + Slot1;
                int length0 = Inspect(name + Slot0, buffer, offset, count);
                uint generation0 = _generation;
                int length1 = Inspect(slot1, null, 0, 0);
                int result = length0;
                if (length1 >= 0 && (length0 < 0 || _generation > generation0))
                {
                    result = Inspect(slot1, buffer, offset, count);
                }

                if (result >= 0)
                {
                    return result;
                }

                if (length0 == Invalid || length1 != Absent)
                {
                    // Files exist but none passes its check (or the medium changed its mind between two reads).
                    CorruptReads++;
                }

                return -1;
            }
        }

        public void Write(string name, byte[] buffer, int offset, int count)
        {
            CheckName(name);
            if (buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length)
            {
                throw new ArgumentOutOfRangeException("count", "the bytes to write lie outside the buffer");
            }

            lock (_sync)
            {
                string slot0 = name + Slot0;
                string slot1 = name + Slot1;
                string current = Exists(slot0) ? slot0 : null;
                if (Exists(slot1))
                {
                    // Both exist only when a write could not delete the older one: the newer valid one is current.
                    current = current == null ? slot1 : NewestValid(name);
                }

                uint generation = current == null ? 0 : HeaderGeneration(current);
                string target = current == slot0 ? slot1 : slot0;
                try
                {
                    WriteSlot(target, generation + 1, buffer, offset, count);
                }
                catch (Exception e)
                {
                    DeleteQuietly(target);
                    throw new IOException("writing record " + name + " failed: " + e.Message, e);
                }

                if (current != null && !DeleteQuietly(current))
                {
                    StaleCopies++;
                }
            }
        }

        public void Delete(string name)
        {
            CheckName(name);
            lock (_sync)
            {
                _folder.Delete(name + Slot0);
                _folder.Delete(name + Slot1);
            }
        }

        private void WriteSlot(string file, uint generation, byte[] buffer, int offset, int count)
        {
            RecordEnvelope.WriteHeader(_chunk, 0, generation, count);
            uint crc = Crc32.Update(Crc32.Start, _chunk, 0, RecordEnvelope.HeaderLength);
            crc = Crc32.Update(crc, buffer, offset, count);
            try
            {
                _folder.Create(file);
                _folder.Write(_chunk, 0, RecordEnvelope.HeaderLength);
                _folder.Write(buffer, offset, count);
                RecordEnvelope.WriteTrailer(_chunk, 0, crc);
                _folder.Write(_chunk, 0, RecordEnvelope.TrailerLength);
            }
            finally
            {
                _folder.CloseWrite();
            }
        }

        /// <summary>The slot holding the newest copy that passes its check, or null.</summary>
        private string NewestValid(string name)
        {
            string slot0 = name + Slot0;
            string slot1 = name + Slot1;
            int length0 = Inspect(slot0, null, 0, 0);
            uint generation0 = _generation;
            int length1 = Inspect(slot1, null, 0, 0);
            if (length0 >= 0 && (length1 < 0 || generation0 >= _generation))
            {
                return slot0;
            }

            return length1 >= 0 ? slot1 : null;
        }

        /// <summary>
        /// Reads the whole file and checks its frame; copies up to <paramref name="count"/> payload bytes into
        /// <paramref name="target"/> (may be null) on the way. Returns the payload length and sets
        /// <see cref="_generation"/>, or <see cref="Absent"/> or <see cref="Invalid"/>.
        /// </summary>
        private int Inspect(string file, byte[] target, int offset, int count)
        {
            int fileLength = _folder.OpenRead(file);
            if (fileLength < 0)
            {
                return Absent;
            }

            try
            {
                if (fileLength < RecordEnvelope.Overhead || !ReadExactly(_chunk, 0, RecordEnvelope.HeaderLength))
                {
                    return Invalid;
                }

                uint generation;
                int length = RecordEnvelope.ReadHeader(_chunk, 0, out generation);
                if (length < 0 || length != fileLength - RecordEnvelope.Overhead)
                {
                    return Invalid;
                }

                uint crc = Crc32.Update(Crc32.Start, _chunk, 0, RecordEnvelope.HeaderLength);
                int done = 0;
                while (done < length)
                {
                    int step = length - done < ChunkLength ? length - done : ChunkLength;
                    if (!ReadExactly(_chunk, 0, step))
                    {
                        return Invalid;
                    }

                    crc = Crc32.Update(crc, _chunk, 0, step);
                    if (target != null && done < count)
                    {
                        int copy = count - done < step ? count - done : step;
                        Array.Copy(_chunk, 0, target, offset + done, copy);
                    }

                    done += step;
                }

                if (!ReadExactly(_chunk, 0, RecordEnvelope.TrailerLength) || !RecordEnvelope.TrailerMatches(_chunk, 0, crc))
                {
                    return Invalid;
                }

                _generation = generation;
                return length;
            }
            finally
            {
                _folder.CloseRead();
            }
        }

        /// <summary>The generation in a slot's header, 0 when the header is unreadable (the slot is replaced anyway).</summary>
        private uint HeaderGeneration(string file)
        {
            int fileLength = _folder.OpenRead(file);
            try
            {
                uint generation;
                if (fileLength < RecordEnvelope.HeaderLength || !ReadExactly(_chunk, 0, RecordEnvelope.HeaderLength)
                    || RecordEnvelope.ReadHeader(_chunk, 0, out generation) < 0)
                {
                    return 0;
                }

                return generation;
            }
            finally
            {
                _folder.CloseRead();
            }
        }

        private bool ReadExactly(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = _folder.Read(buffer, offset + done, count - done);
                if (n <= 0)
                {
                    return false;
                }

                done += n;
            }

            return true;
        }

        private bool Exists(string file)
        {
            bool exists = _folder.OpenRead(file) >= 0;
            _folder.CloseRead();
            return exists;
        }

        private bool DeleteQuietly(string file)
        {
            try
            {
                _folder.Delete(file);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        // ---- start-up ----

        private void Recover()
        {
            string[] files = _folder.List();
            for (int i = 0; i < files.Length; i++)
            {
                string file = files[i];
                string name = RecordNameOf(file);
                if (name == null || FirstIndexOfRecord(files, name) != i)
                {
                    continue;
                }

                Tidy(name);
            }
        }

        /// <summary>Leaves at most one valid slot for the record and no file of the earlier format.</summary>
        private void Tidy(string name)
        {
            string slot0 = name + Slot0;
            string slot1 = name + Slot1;
            int length0 = Inspect(slot0, null, 0, 0);
            uint generation0 = _generation;
            int length1 = Inspect(slot1, null, 0, 0);
            uint generation1 = _generation;
            if (length0 == Invalid)
            {
                _folder.Delete(slot0);
                DiscardedPartials++;
            }

            if (length1 == Invalid)
            {
                _folder.Delete(slot1);
                DiscardedPartials++;
            }

            if (length0 >= 0 && length1 >= 0)
            {
                _folder.Delete(generation0 >= generation1 ? slot1 : slot0);
                RecoveredWrites++;
            }

            string temp = name + LegacyTemp;
            string fresh = name + LegacyNew;
            if (Exists(temp))
            {
                // Earlier format, step 1 (write name.tmp) cut: the record is still in name.
                _folder.Delete(temp);
                DiscardedPartials++;
            }

            bool hasBare = Exists(name);
            bool hasFresh = Exists(fresh);
            if (length0 >= 0 || length1 >= 0)
            {
                // Converted already; a cut came before the earlier format's files were deleted.
                if (hasBare)
                {
                    _folder.Delete(name);
                }

                if (hasFresh)
                {
                    _folder.Delete(fresh);
                }

                return;
            }

            if (hasBare && hasFresh)
            {
                // Earlier format, cut between "rename name.tmp to name.new" and "delete name", or a failed rename
                // that left a partial name.new (File.Move's copy fallback): name is complete, name.new may not be.
                _folder.Delete(fresh);
                DiscardedPartials++;
                hasFresh = false;
            }

            if (hasBare || hasFresh)
            {
                // name alone: a complete record of the earlier format. name.new alone: the cut came after
                // "delete name", and name.new was complete when the earlier code renamed it into place.
                string source = hasBare ? name : fresh;
                Convert(source, slot0);
                _folder.Delete(source);
                ConvertedRecords++;
            }
        }

        /// <summary>Copies a file of the earlier format into a slot (generation 1), framing it on the way.</summary>
        private void Convert(string source, string slot)
        {
            int length = _folder.OpenRead(source);
            if (length < 0)
            {
                throw new IOException("record file " + source + " vanished");
            }

            try
            {
                RecordEnvelope.WriteHeader(_chunk, 0, 1, length);
                uint crc = Crc32.Update(Crc32.Start, _chunk, 0, RecordEnvelope.HeaderLength);
                _folder.Create(slot);
                _folder.Write(_chunk, 0, RecordEnvelope.HeaderLength);
                int done = 0;
                while (done < length)
                {
                    int step = length - done < ChunkLength ? length - done : ChunkLength;
                    if (!ReadExactly(_chunk, 0, step))
                    {
                        throw new IOException("record file " + source + " ended before its length");
                    }

                    crc = Crc32.Update(crc, _chunk, 0, step);
                    _folder.Write(_chunk, 0, step);
                    done += step;
                }

                RecordEnvelope.WriteTrailer(_chunk, 0, crc);
                _folder.Write(_chunk, 0, RecordEnvelope.TrailerLength);
            }
            finally
            {
                _folder.CloseWrite();
                _folder.CloseRead();
            }
        }

        /// <summary>The record a file belongs to, or null for a file that is not this store's.</summary>
        private static string RecordNameOf(string file)
        {
            string name = file;
            if (EndsWith(file, Slot0) || EndsWith(file, Slot1))
            {
                name = file.Substring(0, file.Length - 2);
            }
            else if (EndsWith(file, LegacyTemp) || EndsWith(file, LegacyNew))
            {
                name = file.Substring(0, file.Length - 4);
            }

            return IsValidName(name) ? name : null;
        }

        private static int FirstIndexOfRecord(string[] files, string name)
        {
            for (int i = 0; i < files.Length; i++)
            {
                if (RecordNameOf(files[i]) == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private static void CheckName(string name)
        {
            if (!IsValidName(name))
            {
                throw new ArgumentException("bad record name: '" + name + "' (1 to " + MaxNameLength
                    + " of A-Z a-z 0-9 . - _, not starting with '.', not ending in .tmp or .new)", "name");
            }
        }

        private static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxNameLength || name[0] == '.'
                || EndsWith(name, LegacyTemp) || EndsWith(name, LegacyNew))
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool EndsWith(string text, string suffix)
        {
            int start = text.Length - suffix.Length;
            if (start < 0)
            {
                return false;
            }

            for (int i = 0; i < suffix.Length; i++)
            {
                if (text[start + i] != suffix[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
