namespace Terminal.Drivers.Display.Tft
{
    /// <summary>What a scene element draws in its rectangle (every kind paints all of it).</summary>
    public enum SceneElementKind
    {
        None = 0,

        /// <summary>One colour.</summary>
        Fill = 1,

        /// <summary>A run of glyphs of one font, scaled, aligned in the box and centred vertically, on a background.</summary>
        Text = 2,

        /// <summary>A module matrix (QR symbol) with its quiet zone: dark modules on light.</summary>
        Modules = 3,

        /// <summary>A one-bit plane, scaled and centred, in one colour on another.</summary>
        Bitmap = 4,
    }
}
