using System;
using System.Device.Pwm;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IBacklight"/> on an LEDC PWM channel: level 0..255 as the duty cycle, at 5 kHz (above what the eye
    /// or a phone camera sees as flicker). The pin must have its PWM function (<see cref="Board.PinSetup.Backlight"/>).
    /// </summary>
    public sealed class PwmBacklight : IBacklight
    {
        private const int FrequencyHz = 5000;

        private readonly PwmChannel _channel;

        public PwmBacklight(int pin)
        {
            _channel = PwmChannel.CreateFromPin(pin, FrequencyHz, 0);
            if (_channel == null)
            {
                throw new InvalidOperationException("no PWM channel for the backlight on GPIO" + pin);
            }

            _channel.Start();
        }

        public bool SetLevel(int level)
        {
            try
            {
                // DutyCycle is a fraction 0.0..1.0 (System.Device.Pwm).
                _channel.DutyCycle = level / 255.0;
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
