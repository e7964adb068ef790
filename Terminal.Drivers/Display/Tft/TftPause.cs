namespace Terminal.Drivers.Display.Tft
{
    /// <summary>Waits the given milliseconds (the controllers' settling times after reset and sleep-out).</summary>
    public delegate void TftPause(int milliseconds);
}
