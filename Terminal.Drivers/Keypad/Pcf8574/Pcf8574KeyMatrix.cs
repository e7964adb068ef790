using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Keypad.Pcf8574
{
    /// <summary>
    /// A membrane keypad on a PCF8574 (or PCF8574A) I2C port expander: rows on P0-P3, columns on P4-P7. The
    /// expander's pins are quasi-bidirectional (NXP PCF8574 datasheet, section 8.1): a pin written 1 is a weak
    /// pull-up that reads low when something pulls it down, a pin written 0 sinks current. So a row written 0 pulls
    /// the columns of its pressed keys low, and a read of the port shows them.
    /// <para>
    /// A scan first reads with every row low: nothing pressed (every column high), and it is done in one I2C read
    /// (rows stay low between scans). Only when a column is low are the rows driven one at a time (four writes and
    /// four reads) and the rows parked low again. Without diodes three keys at the corners of a rectangle also show
    /// the fourth (ghosting): a keypad's limit, not the driver's. Allocates nothing.
    /// </para>
    /// </summary>
    public sealed class Pcf8574KeyMatrix : IKeyMatrix
    {
        /// <summary>Address with A0-A2 low: 0x20 (PCF8574), 0x38 (PCF8574A).</summary>
        public const int DefaultAddress = 0x20;

        private const int RowsLow = 0xF0;

        private readonly II2cBus _bus;
        private readonly int _rows;
        private readonly int _columns;
        private readonly int _columnMask;
        private readonly byte[] _out = new byte[1];
        private readonly byte[] _in = new byte[1];
        private bool _rowsParked;

        /// <param name="bus">The expander's address on the bus (shared with the OLED on the terminal).</param>
        public Pcf8574KeyMatrix(II2cBus bus, KeypadLayout layout)
        {
            if (bus == null)
            {
                throw new System.ArgumentNullException("bus");
            }

            if (layout == null)
            {
                throw new System.ArgumentNullException("layout");
            }

            _bus = bus;
            _rows = layout.Rows;
            _columns = layout.Columns;
            _columnMask = (1 << _columns) - 1;
        }

        public bool Read(out int pressed)
        {
            pressed = 0;
            if (!_rowsParked)
            {
                if (!WritePort(RowsLow))
                {
                    return false;
                }

                _rowsParked = true;
            }

            int columns;
            if (!ReadColumns(out columns))
            {
                _rowsParked = false;
                return false;
            }

            if (columns == 0)
            {
                return true;
            }

            _rowsParked = false;
            for (int row = 0; row < _rows; row++)
            {
                if (!WritePort(0xFF & ~(1 << row)) || !ReadColumns(out columns))
                {
                    pressed = 0;
                    return false;
                }

                pressed |= columns << (row * _columns);
            }

            if (!WritePort(RowsLow))
            {
                return false;
            }

            _rowsParked = true;
            return true;
        }

        private bool WritePort(int value)
        {
            _out[0] = (byte)value;
            return _bus.Write(_out, 0, 1);
        }

        /// <summary>The columns read low, as bits 0..columns-1.</summary>
        private bool ReadColumns(out int columns)
        {
            columns = 0;
            if (!_bus.Read(_in, 0, 1))
            {
                return false;
            }

            columns = (~_in[0] >> 4) & _columnMask;
            return true;
        }
    }
}
