namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// The backlight of a colour LCD module (its LED or BL pin): a PWM channel or a plain GPIO on the ESP32
    /// (a GPIO shows every level above 0 as full brightness).
    /// </summary>
    public interface IBacklight
    {
        /// <summary>Sets the brightness, 0 (off) to 255 (full). Returns false when the binding failed.</summary>
        bool SetLevel(int level);
    }
}
