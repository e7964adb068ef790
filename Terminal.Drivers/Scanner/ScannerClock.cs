namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// Monotonic milliseconds (any origin) for idle gaps, reply timeouts and the duplicate window. The app
    /// passes its clock port, e.g. <c>new Gm65Scanner(port, () =&gt; clock.MonotonicMs)</c>.
    /// </summary>
    public delegate long ScannerClock();
}
