using System.Device.Gpio;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary><see cref="IDigitalOutput"/> over one ESP32 GPIO in output mode (the pulse credit line to the optocoupler).</summary>
    public sealed class GpioOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;

        /// <param name="initialHigh">The level to drive at once, before any pulse (the line's inactive level).</param>
        public GpioOutput(GpioController controller, int pinNumber, bool initialHigh)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(initialHigh ? PinValue.High : PinValue.Low);
        }

        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
