namespace Terminal.Updates.Staging
{
    public enum StagingStatus
    {
        /// <summary>More to download or check: call Step again when idle.</summary>
        Working = 0,

        /// <summary>Every file is staged and checked and the version is on trial from the next boot.</summary>
        Staged = 1,

        /// <summary>The bundle is refused (<see cref="UpdateStaging.Reason"/>); nothing of it will boot.</summary>
        Refused = 2,
    }
}
