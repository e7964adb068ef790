namespace Terminal.Core.Config
{
    /// <summary>Stores a checked text value into its section.</summary>
    public delegate void TextSetter(string value);
}
