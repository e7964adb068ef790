namespace Terminal.Drivers.Keypad
{
    /// <summary>
    /// A membrane keypad's matrix as wired to the terminal: which contacts are closed right now, nothing more. The
    /// portable <see cref="Pcf8574.Pcf8574KeyMatrix"/> reads it through an I2C port expander; a keypad on ESP32
    /// GPIOs would be one binding implementing this (rows as outputs, columns as inputs with pull-ups). Debouncing
    /// and the key map are <see cref="Keypad"/>'s.
    /// </summary>
    public interface IKeyMatrix
    {
        /// <summary>
        /// Reads the closed contacts: bit <c>row * columns + column</c> of <paramref name="pressed"/> is set for each
        /// key down. False when the matrix could not be read (a bus error): the caller keeps its last state. Allocates
        /// nothing.
        /// </summary>
        bool Read(out int pressed);
    }
}
