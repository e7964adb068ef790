namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// One GPIO output line, as the pulse credit output sees it. The ESP32 binding wraps
    /// System.Device.Gpio.GpioPin in output mode; tests and the simulator use a model of the machine's coin input.
    /// </summary>
    public interface IDigitalOutput
    {
        /// <summary>Drives the line high (true) or low (false); returns at once.</summary>
        void Write(bool high);
    }
}
