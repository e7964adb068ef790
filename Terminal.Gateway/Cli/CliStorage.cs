using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>The database the server uses, opened (and migrated) for a command-line tool with the server's configuration.</summary>
internal sealed class CliStorage : IAsyncDisposable
{
    private CliStorage(GatewaySettings settings, GatewayDatabase database)
    {
        Settings = settings;
        Database = database;
    }

    public GatewaySettings Settings { get; }
    public GatewayDatabase Database { get; }

    /// <summary>Null (after writing why to <paramref name="stderr"/>) when the configuration is unusable.</summary>
    public static async Task<CliStorage?> OpenAsync(GatewayOptions options, string name, TextWriter stderr)
    {
        GatewaySettings settings;
        try
        {
            settings = GatewaySettings.ResolveStorageOnly(options);
        }
        catch (GatewayConfigurationException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return null;
        }
        var database = new GatewayDatabase(settings.DatabaseProvider, settings.ConnectionString, options.Database.SqliteSynchronous,
            new DatabasePool(MaxPoolSize: 2, ApplicationName: "gateway " + name));
        await Migrator.MigrateAsync(database, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        return new CliStorage(settings, database);
    }

    public long Now => Settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Settings.Dispose();
    }
}
