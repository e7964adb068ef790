namespace Terminal.Core.Config
{
    /// <summary>Stores a checked 32-byte key into its section.</summary>
    public delegate void KeySetter(byte[] value);
}
