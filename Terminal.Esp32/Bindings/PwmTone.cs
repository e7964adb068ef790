using System;
using System.Device.Pwm;
using Terminal.Drivers.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IToneOutput"/> for the passive piezo on its own LEDC timer (PWM3, so the TFT backlight's PWM1 keeps
    /// its 5 kHz: a pair of PWM functions shares one timer and one frequency). The pin must have its PWM function
    /// (<see cref="Board.PinSetup.Buzzer"/>).
    /// </summary>
    /// <remarks>
    /// Two facts of nanoFramework's ESP32 PWM natives (nf-interpreter targets/ESP32 sys_dev_pwm_native PwmChannel)
    /// shape this: setting <c>DutyCycle</c> to 0 only stores the value (the native returns before it reaches the LEDC),
    /// so silence is <c>Stop()</c>, which parks the pin at its idle level, low; and <c>Start()</c> configures timer and
    /// channel afresh from the stored frequency and duty, so a tone is frequency and duty stored, then <c>Start()</c>.
    /// No managed allocation: the tone player calls this from the main loop a few times per pattern.
    /// </remarks>
    public sealed class PwmTone : IToneOutput
    {
        private readonly PwmChannel _channel;

        public PwmTone(int pin)
        {
            _channel = PwmChannel.CreateFromPin(pin, 2700, 0);
            if (_channel == null)
            {
                throw new InvalidOperationException("no PWM channel for the buzzer on GPIO" + pin);
            }
        }

        public void Play(int frequencyHz, int dutyPercent)
        {
            try
            {
                _channel.Frequency = frequencyHz;

                // DutyCycle is a fraction 0.0..1.0 (System.Device.Pwm); the player gives 1..50 %.
                _channel.DutyCycle = dutyPercent / 100.0;
                _channel.Start();
            }
            catch (Exception)
            {
                // A refused frequency leaves the buzzer silent; the sale never depends on a sound.
                Silence();
            }
        }

        public void Silence()
        {
            _channel.Stop();
        }
    }
}
