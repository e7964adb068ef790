namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>The console's addresses, all under <see cref="Root"/> on the admin listener (never a device listener).</summary>
public static class ConsolePaths
{
    public const string Root = "/console";
    public const string Login = Root + "/login";
    public const string Logout = Root + "/logout";
    public const string Denied = Root + "/denied";
    public const string Stylesheet = Root + "/console.css";
    public const string Exceptions = Root + "/exceptions";
    public const string EndOfDay = Root + "/end-of-day";
    public const string Reconciliation = EndOfDay + "/reconcile";
}
