namespace Terminal.Esp32.Network
{
    /// <summary>Told when the Wi-Fi link gains (true) or loses (false) its address.</summary>
    public delegate void WifiStateHandler(bool connected);
}
