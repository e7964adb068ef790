using System;
using Terminal.Core.Text;

namespace Terminal.Core.Json
{
    /// <summary>
    /// Compact JSON (RFC 8259) written into a caller-provided buffer; the bytes written are the bytes signed.
    /// The writer places commas and colons itself and rejects structural misuse (a value without a property
    /// name inside an object, a second root value, unbalanced ends) with <see cref="InvalidOperationException"/>.
    /// Each call first measures what it will write: if the buffer is too small it throws
    /// <see cref="JsonBufferTooSmallException"/> and leaves the output and state as they were.
    /// No call allocates (string literal names and values are read in place). Escaping: see JsonEscaping.
    /// </summary>
    public sealed class JsonWriter
    {
        /// <summary>Deepest nesting the writer accepts (the same default as System.Text.Json).</summary>
        public const int MaxDepth = 64;

        private readonly byte[] _buffer;
        private int _length;
        private int _depth;
        private ulong _arrayBits;   // bit (d - 1) set when the container at depth d is an array
        private bool _hasElements;  // the innermost open container already holds a member or element
        private bool _afterName;    // a property name was written; its value comes next
        private bool _rootWritten;

        public JsonWriter(byte[] buffer)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            _buffer = buffer;
        }

        /// <summary>The buffer given to the constructor; the JSON text is its first <see cref="Length"/> bytes.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Bytes written since construction or the last <see cref="Reset"/>.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Current nesting depth (0 outside any object or array).</summary>
        public int CurrentDepth
        {
            get { return _depth; }
        }

        /// <summary>True once a complete root value has been written.</summary>
        public bool IsComplete
        {
            get { return _rootWritten && _depth == 0; }
        }

        /// <summary>Starts a new document in the same buffer.</summary>
        public void Reset()
        {
            _length = 0;
            _depth = 0;
            _arrayBits = 0;
            _hasElements = false;
            _afterName = false;
            _rootWritten = false;
        }

        public void StartObject()
        {
            CheckDepth();
            int separator = ValueSeparator();
            Reserve(separator + 1);
            WriteSeparator(separator);
            _buffer[_length++] = (byte)'{';
            Push(false);
        }

        public void StartArray()
        {
            CheckDepth();
            int separator = ValueSeparator();
            Reserve(separator + 1);
            WriteSeparator(separator);
            _buffer[_length++] = (byte)'[';
            Push(true);
        }

        public void StartObject(string name)
        {
            CheckDepth();
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + 1);
            WriteSeparator(separator);
            WriteName(name);
            _buffer[_length++] = (byte)'{';
            Push(false);
        }

        public void StartArray(string name)
        {
            CheckDepth();
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + 1);
            WriteSeparator(separator);
            WriteName(name);
            _buffer[_length++] = (byte)'[';
            Push(true);
        }

        public void EndObject()
        {
            if (_depth == 0 || InArray || _afterName)
            {
                Misuse(_afterName ? "EndObject after a property name without a value" : "EndObject without an open object");
            }

            Reserve(1);
            _buffer[_length++] = (byte)'}';
            Pop();
        }

        public void EndArray()
        {
            if (_depth == 0 || !InArray)
            {
                Misuse("EndArray without an open array");
            }

            Reserve(1);
            _buffer[_length++] = (byte)']';
            Pop();
        }

        /// <summary>Writes <c>"name":</c>; the next call must write its value.</summary>
        public void WritePropertyName(string name)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength);
            WriteSeparator(separator);
            WriteName(name);
            _afterName = true;
        }

        /// <summary>Writes <c>"name":"value"</c>; a null value is written as <c>null</c>.</summary>
        public void WriteString(string name, string value)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            int valueLength = value == null ? 4 : JsonEscaping.StringLength(value) + 2;
            Reserve(separator + nameLength + valueLength);
            WriteSeparator(separator);
            WriteName(name);
            WriteQuotedOrNull(value);
            ValueDone();
        }

        /// <summary>
        /// Writes <c>"name":"value"</c> where the value is UTF-8 bytes (escaped as needed). Invalid UTF-8 throws
        /// <see cref="ArgumentException"/> and writes nothing.
        /// </summary>
        public void WriteString(string name, byte[] utf8, int offset, int count)
        {
            CheckRange(utf8, offset, count);
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            int valueLength = JsonEscaping.Utf8Length(utf8, offset, count) + 2;
            Reserve(separator + nameLength + valueLength);
            WriteSeparator(separator);
            WriteName(name);
            _buffer[_length++] = (byte)'"';
            _length += JsonEscaping.WriteUtf8(utf8, offset, count, _buffer, _length);
            _buffer[_length++] = (byte)'"';
            ValueDone();
        }

        /// <summary>Writes a string as an array element, the value after <see cref="WritePropertyName"/>, or the root.</summary>
        public void WriteStringValue(string value)
        {
            int separator = ValueSeparator();
            int valueLength = value == null ? 4 : JsonEscaping.StringLength(value) + 2;
            Reserve(separator + valueLength);
            WriteSeparator(separator);
            WriteQuotedOrNull(value);
            ValueDone();
        }

        /// <summary>Writes <c>"name":1250</c>.</summary>
        public void WriteNumber(string name, long value)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + AsciiNumber.GetLength(value));
            WriteSeparator(separator);
            WriteName(name);
            _length += AsciiNumber.Write(value, _buffer, _length);
            ValueDone();
        }

        /// <summary>Writes <c>"name":"1250"</c>: Antom sends amounts as decimal strings of minor units.</summary>
        public void WriteNumberAsString(string name, long value)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + AsciiNumber.GetLength(value) + 2);
            WriteSeparator(separator);
            WriteName(name);
            _buffer[_length++] = (byte)'"';
            _length += AsciiNumber.Write(value, _buffer, _length);
            _buffer[_length++] = (byte)'"';
            ValueDone();
        }

        /// <summary>Writes a number as an array element, the value after <see cref="WritePropertyName"/>, or the root.</summary>
        public void WriteNumberValue(long value)
        {
            int separator = ValueSeparator();
            Reserve(separator + AsciiNumber.GetLength(value));
            WriteSeparator(separator);
            _length += AsciiNumber.Write(value, _buffer, _length);
            ValueDone();
        }

        public void WriteBoolean(string name, bool value)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + (value ? 4 : 5));
            WriteSeparator(separator);
            WriteName(name);
            WriteLiteral(value ? "true" : "false");
            ValueDone();
        }

        public void WriteBooleanValue(bool value)
        {
            int separator = ValueSeparator();
            Reserve(separator + (value ? 4 : 5));
            WriteSeparator(separator);
            WriteLiteral(value ? "true" : "false");
            ValueDone();
        }

        public void WriteNull(string name)
        {
            int separator = NameSeparator();
            int nameLength = NameLength(name);
            Reserve(separator + nameLength + 4);
            WriteSeparator(separator);
            WriteName(name);
            WriteLiteral("null");
            ValueDone();
        }

        public void WriteNullValue()
        {
            int separator = ValueSeparator();
            Reserve(separator + 4);
            WriteSeparator(separator);
            WriteLiteral("null");
            ValueDone();
        }

        private bool InArray
        {
            get { return _depth > 0 && ((_arrayBits >> (_depth - 1)) & 1UL) != 0; }
        }

        /// <summary>Checks that a bare value may come now; returns 1 if a comma must precede it.</summary>
        private int ValueSeparator()
        {
            if (_depth == 0)
            {
                if (_rootWritten)
                {
                    Misuse("a second root value");
                }

                return 0;
            }

            if (InArray)
            {
                return _hasElements ? 1 : 0;
            }

            if (!_afterName)
            {
                Misuse("a value inside an object needs a property name");
            }

            return 0;
        }

        /// <summary>Checks that a property name may come now; returns 1 if a comma must precede it.</summary>
        private int NameSeparator()
        {
            if (_depth == 0 || InArray)
            {
                Misuse("a property name outside an object");
            }

            if (_afterName)
            {
                Misuse("a property name where the previous property's value is missing");
            }

            return _hasElements ? 1 : 0;
        }

        /// <summary>Bytes of <c>"name":</c>.</summary>
        private static int NameLength(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException("name");
            }

            return JsonEscaping.StringLength(name) + 3;
        }

        private void Reserve(int count)
        {
            if (_buffer.Length - _length < count)
            {
                throw new JsonBufferTooSmallException(_length + count, _buffer.Length);
            }
        }

        private void WriteSeparator(int separator)
        {
            if (separator != 0)
            {
                _buffer[_length++] = (byte)',';
            }
        }

        private void WriteName(string name)
        {
            _buffer[_length++] = (byte)'"';
            _length += JsonEscaping.WriteString(name, _buffer, _length);
            _buffer[_length++] = (byte)'"';
            _buffer[_length++] = (byte)':';
        }

        private void WriteQuotedOrNull(string value)
        {
            if (value == null)
            {
                WriteLiteral("null");
                return;
            }

            _buffer[_length++] = (byte)'"';
            _length += JsonEscaping.WriteString(value, _buffer, _length);
            _buffer[_length++] = (byte)'"';
        }

        private void WriteLiteral(string literal)
        {
            for (int i = 0; i < literal.Length; i++)
            {
                _buffer[_length++] = (byte)literal[i];
            }
        }

        private void CheckDepth()
        {
            if (_depth >= MaxDepth)
            {
                Misuse("nesting deeper than " + MaxDepth);
            }
        }

        private void Push(bool isArray)
        {
            if (isArray)
            {
                _arrayBits |= 1UL << _depth;
            }
            else
            {
                _arrayBits &= ~(1UL << _depth);
            }

            _depth++;
            _hasElements = false;
            _afterName = false;
        }

        private void Pop()
        {
            _depth--;
            ValueDone();
        }

        private void ValueDone()
        {
            _afterName = false;
            if (_depth == 0)
            {
                _rootWritten = true;
            }
            else
            {
                _hasElements = true;
            }
        }

        private static void CheckRange(byte[] src, int offset, int count)
        {
            if (src == null || offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("offset", "byte range outside the array");
            }
        }

        private static void Misuse(string what)
        {
            throw new InvalidOperationException("JSON writer misuse: " + what);
        }
    }
}
