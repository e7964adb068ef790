namespace Terminal.Countertop.Keys
{
    /// <summary>What a key does at the countertop (<see cref="KeyMap"/>).</summary>
    public enum KeyAction
    {
        /// <summary>A key with no use here.</summary>
        None = 0,

        /// <summary>0..9.</summary>
        Digit = 1,

        /// <summary>Confirms: starts the sale, acknowledges a result, chooses a menu line.</summary>
        Ok = 2,

        /// <summary>Erases the last digit; with nothing typed it opens the menu (3x4) or goes back a step.</summary>
        Back = 3,

        /// <summary>Clears the entry, aborts the sale in progress (as the host link's ABORT), leaves the menu.</summary>
        Cancel = 4,

        /// <summary>Opens the merchant menu.</summary>
        Menu = 5,
    }
}
