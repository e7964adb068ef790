namespace Terminal.Updates
{
    /// <summary>Restarts the terminal (the ESP32 binding reboots the chip; the simulator starts its app again). Called
    /// after the app stopped, when an update is staged or a version on trial failed its self-test.</summary>
    public interface IPlatformRestart
    {
        void Restart();
    }
}
