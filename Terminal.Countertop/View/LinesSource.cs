namespace Terminal.Countertop.View
{
    /// <summary>Lines the menu shows as they are now (device and network information, a self-test run).</summary>
    public delegate string[] LinesSource();
}
