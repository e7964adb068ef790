using System;
using System.Device.Pwm;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IBacklight"/> on an LEDC PWM channel: level 0..255 as the duty cycle, at 5 kHz (above what the eye
    /// or a phone camera sees as flicker). The pin must have its PWM function (<see cref="Board.PinSetup.Backlight"/>).
    /// </summary>
    /// <remarks>
    /// As for the buzzer (<see cref="PwmTone"/>), nanoFramework's ESP32 PWM natives decide the calls (nf-interpreter
    /// targets/ESP32/_nanoCLR/System.Device.Pwm, PwmChannel): a duty cycle of 0 set through <c>DutyCycle</c> is only
    /// stored, not sent to the LEDC, so the old brightness would stay lit; off is <c>Stop()</c>, which parks the pin
    /// at its idle level, low (the module's BL input off). <c>Start()</c> configures timer and channel afresh from the
    /// stored frequency and duty, so every other level is "store the duty, then <c>Start()</c>", which also lights the
    /// backlight again after a <c>Stop()</c>. The driver sets a level only at start, on and off, and on a brightness
    /// change, never per frame.
    /// </remarks>
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
        }

        public bool SetLevel(int level)
        {
            try
            {
                if (level <= 0)
                {
                    _channel.Stop();
                    return true;
                }

                // DutyCycle is a fraction 0.0..1.0 (System.Device.Pwm).
                _channel.DutyCycle = level / 255.0;
                _channel.Start();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
