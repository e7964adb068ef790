using System.Text;

namespace Terminal.Gateway.Storage;

/// <summary>
/// A text column's value held as its UTF-8 bytes. The bodies of the relay path are bytes from the wire to the database:
/// PostgreSQL takes them as text without a string in between (two copies of every body per call saved), SQLite gets
/// the decoded string. The array is not copied: the caller must not change it afterwards.
/// </summary>
public sealed class Utf8Text(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public override string ToString() => Encoding.UTF8.GetString(Bytes);

    public static implicit operator Utf8Text(string text) => new(Encoding.UTF8.GetBytes(text));
}
