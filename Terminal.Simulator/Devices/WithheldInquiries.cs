using Terminal.Core.Ports;
using Terminal.Payments.Antom;

namespace Terminal.Simulator.Devices;

/// <summary>
/// Holds back the terminal's payment inquiries on request: while withheld each one fails as if the connection never
/// came up, so the terminal cannot learn that an order was paid. A chaos step uses it to make "the cashier cancels
/// after the customer paid" happen every time, instead of only when the cancel beats the next inquiry.
/// </summary>
public sealed class WithheldInquiries(IHttpExchange inner) : IHttpExchange
{
    private readonly object _sync = new();
    private bool _withheld;
    private int _inFlight;
    private int _held;

    /// <summary>Inquiries refused while withheld.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>From now on no inquiry gets through; returns once none that got through earlier is still on its way.</summary>
    public void Withhold()
    {
        lock (_sync)
        {
            _withheld = true;
            while (_inFlight > 0)
            {
                Monitor.Wait(_sync);
            }
        }
    }

    /// <summary>Inquiries get through again.</summary>
    public void Release()
    {
        lock (_sync)
        {
            _withheld = false;
        }
    }

    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        bool inquiry = exchange.Path == AntomPaths.InquiryPayment;
        if (inquiry)
        {
            lock (_sync)
            {
                if (_withheld)
                {
                    _held++;
                    return HttpExchangeStatus.ConnectFailed;
                }

                _inFlight++;
            }
        }

        try
        {
            return inner.Send(exchange, timeoutMs);
        }
        finally
        {
            if (inquiry)
            {
                lock (_sync)
                {
                    _inFlight--;
                    Monitor.PulseAll(_sync);
                }
            }
        }
    }
}
