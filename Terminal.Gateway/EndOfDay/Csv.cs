using System.Text;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// Comma-separated values as RFC 4180 defines them: fields separated by commas, records by CRLF, a field with a comma,
/// quote or line break inside double quotes, a quote inside a quoted field doubled.
/// </summary>
public static class Csv
{
    /// <summary>
    /// A text cell, quoted when needed. A cell that a spreadsheet would read as a formula (first character = + - @, or
    /// tab or carriage return: OWASP "CSV Injection") gets a leading apostrophe, so a device or store id can never run
    /// as a formula on the operator's machine. Numbers the gateway formats itself need neither.
    /// </summary>
    public static string Text(string? value)
    {
        string text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// Reads the records of <paramref name="text"/> one at a time. Accepts CRLF or LF line ends; refuses a quote inside
    /// an unquoted field, text after a closing quote, and a quoted field the text ends in.
    /// </summary>
    public sealed class Reader(string text)
    {
        private int _position;

        /// <summary>1-based line of the record last returned (a quoted field may span lines; this is where it began).</summary>
        public int Line { get; private set; }

        private int _nextLine = 1;

        /// <summary>The next record's fields, or null at the end of the text.</summary>
        public List<string>? Next()
        {
            if (_position >= text.Length) return null;
            Line = _nextLine;
            var fields = new List<string>();
            var field = new StringBuilder();
            while (true)
            {
                if (_position < text.Length && text[_position] == '"')
                {
                    _position++;
                    while (true)
                    {
                        if (_position >= text.Length) throw new FormatException($"line {Line}: a quoted field is not closed");
                        char c = text[_position++];
                        if (c == '"')
                        {
                            if (_position < text.Length && text[_position] == '"') { field.Append('"'); _position++; continue; }
                            break;
                        }
                        if (c == '\n') _nextLine++;
                        field.Append(c);
                    }
                    if (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                        throw new FormatException($"line {Line}: text after a closing quote");
                }
                else
                {
                    while (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                    {
                        if (text[_position] == '"') throw new FormatException($"line {Line}: a quote inside an unquoted field");
                        field.Append(text[_position++]);
                    }
                }
                fields.Add(field.ToString());
                field.Clear();
                if (_position >= text.Length) return fields;
                char end = text[_position++];
                if (end == ',') continue;
                if (end == '\r')
                {
                    if (_position < text.Length && text[_position] == '\n') _position++;
                    else throw new FormatException($"line {Line}: a carriage return without a line feed");
                }
                _nextLine++;
                return fields;
            }
        }
    }
}
