using Terminal.Payments.Engine;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// Told of every final result the app reports (on the thread that reports it), after the screen and before the
    /// host link's RESULT. For logs on the device and for the simulator's comparisons; must return quickly.
    /// </summary>
    public delegate void PaymentResultHandler(PaymentResult result);
}
