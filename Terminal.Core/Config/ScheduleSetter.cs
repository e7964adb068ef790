namespace Terminal.Core.Config
{
    /// <summary>Stores a checked list of waits into its section.</summary>
    public delegate void ScheduleSetter(int[] value);
}
