namespace Terminal.NanoRunner.Timing
{
    /// <summary>One operation to time; true when it did what it should (a wrong answer is not a measurement).</summary>
    public interface IWorkload
    {
        bool RunOnce();
    }
}
