namespace Terminal.Drivers.Display
{
    /// <summary>Horizontal placement of text inside a box.</summary>
    public enum TextAlign
    {
        Left = 0,
        Center = 1,
        Right = 2,
    }
}
