namespace Terminal.Core.Config
{
    /// <summary>Stores a checked number (or pin) into its section.</summary>
    public delegate void NumberSetter(long value);
}
