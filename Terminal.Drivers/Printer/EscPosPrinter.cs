using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Printer
{
    /// <summary>
    /// An ESC/POS thermal printer on a UART (TTL receipt printers of the CSN-A2 class), over <see cref="ISerialPort"/>,
    /// never waiting: <see cref="RequestStatus"/> sends the three real-time status queries at once
    /// (<see cref="EscPosStatus"/>), <see cref="PollStatus"/> takes what has come back since, and decides after three
    /// good answers, at the first byte that is not a status byte, or at the deadline. <see cref="Send"/> hands print
    /// bytes to the port. Not thread-safe (one caller: the main loop); allocates nothing after construction.
    /// </summary>
    public sealed class EscPosPrinter
    {
        /// <summary>How long the answers may take: three bytes at 9600 baud need 3 ms; a printer that is on answers at once.</summary>
        public const int StatusTimeoutMs = 300;

        private readonly ISerialPort _port;
        private readonly byte[] _query = new byte[]
        {
            EscPosStatus.Dle, EscPosStatus.Eot, EscPosStatus.PrinterStatus,
            EscPosStatus.Dle, EscPosStatus.Eot, EscPosStatus.OfflineCause,
            EscPosStatus.Dle, EscPosStatus.Eot, EscPosStatus.PaperSensor,
        };

        private readonly byte[] _answers = new byte[3];
        private readonly byte[] _rx = new byte[16];
        private int _answerCount;
        private long _deadline;
        private bool _asking;

        public EscPosPrinter(ISerialPort port)
        {
            if (port == null)
            {
                throw new System.ArgumentNullException("port");
            }

            _port = port;
            State = PrinterState.Unknown;
        }

        /// <summary>What the last completed status query found.</summary>
        public PrinterState State { get; private set; }

        /// <summary>True while a status query waits for its answers.</summary>
        public bool Asking
        {
            get { return _asking; }
        }

        /// <summary>Status queries that timed out or got garbage.</summary>
        public int BadAnswers { get; private set; }

        /// <summary>Drops whatever the printer sent earlier and asks for its status at <paramref name="nowMs"/>.</summary>
        public void RequestStatus(long nowMs)
        {
            while (_port.Read(_rx, 0, _rx.Length, 0) > 0)
            {
            }

            _answerCount = 0;
            _asking = true;
            _deadline = nowMs + StatusTimeoutMs;
            _port.Write(_query, 0, _query.Length);
        }

        /// <summary>
        /// Takes the answers that have arrived; true once the query is decided (<see cref="State"/> then says how),
        /// false while it still waits. Reads without waiting.
        /// </summary>
        public bool PollStatus(long nowMs)
        {
            if (!_asking)
            {
                return true;
            }

            int n;
            while ((n = _port.Read(_rx, 0, _rx.Length, 0)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if (_answerCount == _answers.Length || !EscPosStatus.IsStatusByte(_rx[i]))
                    {
                        return Decide(PrinterState.Garbled);
                    }

                    _answers[_answerCount++] = _rx[i];
                }
            }

            if (_answerCount == _answers.Length)
            {
                return Decide(EscPosStatus.Decode(_answers[0], _answers[1], _answers[2]));
            }

            return nowMs >= _deadline && Decide(PrinterState.NotAnswering);
        }

        /// <summary>Hands print bytes to the port (the UART paces them at its baud rate).</summary>
        public void Send(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        private bool Decide(PrinterState state)
        {
            _asking = false;
            State = state;
            if (state == PrinterState.NotAnswering || state == PrinterState.Garbled)
            {
                BadAnswers++;
            }

            return true;
        }
    }
}
