namespace Terminal.Drivers.MdbBridge
{
    /// <summary>
    /// What one line from the bridge says (docs/vending.md section 5 has the lines and their sources). The
    /// cashless device's states are MDB's (MDB/ICP 4.x section 7.2): inactive until the machine sent its setup,
    /// disabled, enabled, a session idle, a vend.
    /// </summary>
    public enum BridgeEvent
    {
        /// <summary>No complete line yet.</summary>
        None = 0,

        /// <summary><c>c,SET,OK</c>: a setting was taken.</summary>
        SetOk,

        /// <summary><c>c,STATUS,OFFLINE</c>: the cashless device is switched off (C,0).</summary>
        Offline,

        /// <summary><c>c,STATUS,INACTIVE</c> (or ONLINE): on, but the machine has not set it up (after a machine reset too).</summary>
        Inactive,

        /// <summary><c>c,STATUS,DISABLED</c>: set up; the machine has not enabled it.</summary>
        Disabled,

        /// <summary><c>c,STATUS,ENABLED</c>: enabled, no session (after a session ended too).</summary>
        Enabled,

        /// <summary><c>c,STATUS,IDLE</c>: a session is open, no vend requested (after BEGIN SESSION or a vend's outcome).</summary>
        SessionIdle,

        /// <summary><c>c,STATUS,VEND,&lt;amount&gt;,&lt;item&gt;</c>: the machine asks to vend an item for an amount.</summary>
        VendRequest,

        /// <summary><c>c,VEND,SUCCESS</c>: the machine reports the approved vend done (VEND SUCCESS).</summary>
        VendSuccess,

        /// <summary><c>c,ERR,VEND 3</c>: the machine reports the approved vend failed (VEND FAILURE).</summary>
        VendFailure,

        /// <summary><c>c,ERR,VEND 1</c>: the machine cancelled its vend request before an answer (VEND CANCEL).</summary>
        VendCancelled,

        /// <summary>Any other <c>c,ERR,...</c> line; <see cref="MdbBridge.LastError"/> has its text.</summary>
        Error,

        /// <summary>A line the driver does not act on (<c>r,ACK</c>, version lines, noise).</summary>
        Other,
    }
}
