namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// What the code framer (and so <see cref="Gm65Scanner.Poll"/>) completed. Only <see cref="Code"/> hands
    /// out a code; the rejections are reported so a screen can say why nothing happened.
    /// </summary>
    public enum ScanOutcome
    {
        /// <summary>Nothing completed yet.</summary>
        None = 0,

        /// <summary>A new code: read it from <c>Code</c>/<c>CodeLength</c> or <c>CodeToString()</c>.</summary>
        Code,

        /// <summary>The same code again within the duplicate window; not handed out a second time.</summary>
        Duplicate,

        /// <summary>Too few bytes to be a code (line noise, a glitch at power-up, a cut-off module reply).</summary>
        Noise,

        /// <summary>The code held bytes that are not printable ASCII (binary data, wrong baud rate).</summary>
        Binary,

        /// <summary>Longer than the framer's buffer; the whole code is dropped.</summary>
        Overlong,

        /// <summary>Ended by an idle gap although the module was set up to end every code with CR: cut off.</summary>
        Partial,

        /// <summary>
        /// A line the module sent for an earlier request (it began before the current scan did, or came before the
        /// module acknowledged the scan's trigger); dropped, whatever it held.
        /// </summary>
        Stale,
    }
}
