namespace Terminal.Drivers.Ports
{
    /// <summary>
    /// A square wave on one pin for a passive piezo buzzer (the ESP32 binding drives an LEDC PWM channel). The duty
    /// cycle sets the loudness: 50 % is the loudest a piezo gets from a square wave.
    /// </summary>
    public interface IToneOutput
    {
        /// <summary>Starts or changes the tone: <paramref name="frequencyHz"/> at <paramref name="dutyPercent"/> (1..50).</summary>
        void Play(int frequencyHz, int dutyPercent);

        /// <summary>Stops the tone (the pin rests low).</summary>
        void Silence();
    }
}
