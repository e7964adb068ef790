namespace Terminal.DeviceLink.Settings
{
    /// <summary>A new set of remote settings is in the configuration (those read at use need nothing; the idle screen's name does).</summary>
    public delegate void SettingsApplied();
}
