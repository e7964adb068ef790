namespace Terminal.Firmware.HostLink
{
    /// <summary>The requests a controller can send (docs/host-link.md, "Commands").</summary>
    public enum HostLinkCommand
    {
        /// <summary>Not parsed.</summary>
        None = 0,

        /// <summary><c>PING</c>: is the terminal there; answers the protocol version.</summary>
        Ping,

        /// <summary><c>SALE amount currency MPM|CPM reference</c>: start a payment.</summary>
        Sale,

        /// <summary><c>ABORT</c>: stop the sale in progress.</summary>
        Abort,

        /// <summary><c>REFUND REF|PAYMENT value amount</c>: refund (part of) a payment.</summary>
        Refund,

        /// <summary><c>VOID REF|PAYMENT value</c>: cancel a payment entirely.</summary>
        Void,

        /// <summary><c>STATUS</c>: what the terminal is doing.</summary>
        Status,

        /// <summary><c>LAST</c>: the final result of the last transaction.</summary>
        Last,

        /// <summary><c>DIAG</c>: diagnostic lines.</summary>
        Diag,

        /// <summary><c>SELFTEST</c>: run the self-test and send its lines.</summary>
        SelfTest,
    }
}
