namespace Terminal.Countertop.Pin
{
    /// <summary>How a PIN attempt ended.</summary>
    public enum PinCheck
    {
        /// <summary>The PIN is right: the menu opens.</summary>
        Accepted = 0,

        /// <summary>Wrong PIN; tries remain before the lock.</summary>
        Wrong = 1,

        /// <summary>Locked after too many wrong tries: not even checked (<see cref="PinVault.LockedForMs"/> says how long).</summary>
        Locked = 2,

        /// <summary>No PIN is set (menuPin in the configuration): the menu stays closed.</summary>
        NotSet = 3,
    }
}
