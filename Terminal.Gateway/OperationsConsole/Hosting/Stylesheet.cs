namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>The console's one stylesheet (console.css, embedded), served from /console/console.css: no inline styles anywhere.</summary>
internal static class Stylesheet
{
    public static readonly string Text = Read();

    private static string Read()
    {
        using var stream = typeof(Stylesheet).Assembly.GetManifestResourceStream("console/console.css")
            ?? throw new InvalidOperationException("console.css is not embedded in Terminal.Gateway");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
