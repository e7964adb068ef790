namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>GDDRAM pointer behaviour after each data byte (SSD1306 datasheet 10.1.3).</summary>
    public enum MemoryAddressingMode
    {
        /// <summary>Column first inside the 21h/22h window, then the next page.</summary>
        Horizontal = 0,

        /// <summary>Page first inside the window, then the next column.</summary>
        Vertical = 1,

        /// <summary>Column only, wrapping inside the current page (reset default).</summary>
        Page = 2,
    }
}
