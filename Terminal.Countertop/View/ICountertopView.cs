using Terminal.Transactions;

namespace Terminal.Countertop.View
{
    /// <summary>
    /// The screens the countertop front end draws while it holds the display (amount entry, PIN, menu); the
    /// terminal's screens implement it. Called from the main loop only.
    /// </summary>
    public interface ICountertopView
    {
        /// <summary>An amount being typed, large, under <paramref name="title"/> ("Enter amount", "Refund amount").</summary>
        void ShowAmount(string title, string amountText, string currency);

        /// <summary>Lines of text under a title, a page at a time (menu, totals, prompts).</summary>
        void ShowLines(string title, string[] lines);

        /// <summary>The next page of the lines shown, wrapping round.</summary>
        void NextPage();

        /// <summary>Draws a final result again (the menu's "last result").</summary>
        void ShowResult(DeskResult result);

        /// <summary>True while a final result waits for OK.</summary>
        bool ResultShown { get; }

        /// <summary>OK on a final result: the screen goes back to idle (or to the scan screen while scanning).</summary>
        void Acknowledge(bool scanning);
    }
}
