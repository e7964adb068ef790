namespace Terminal.SimulatedDevices.Mdb;

/// <summary>A cashless device's states (MDB/ICP 4.x section 7.2; level 1: no revalue, no negative vend).</summary>
public enum CashlessState
{
    Inactive,
    Disabled,
    Enabled,
    SessionIdle,
    Vend,
}
