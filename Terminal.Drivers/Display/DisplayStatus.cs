namespace Terminal.Drivers.Display
{
    /// <summary>Health of a display driver, reported instead of thrown (the screen loop must keep running).</summary>
    public enum DisplayStatus
    {
        /// <summary>Initialize has not succeeded yet.</summary>
        NotInitialized = 0,

        /// <summary>The last operation reached the controller.</summary>
        Ok = 1,

        /// <summary>An I2C write still failed after every attempt; see the driver's LastError.</summary>
        WriteFailed = 2,
    }
}
