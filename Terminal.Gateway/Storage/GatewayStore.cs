namespace Terminal.Gateway.Storage;

/// <summary>
/// Durable records of the gateway: transactions, replay (idempotency) keys, payments, refunds, notifications and the
/// resolver's steps; the only code that speaks SQL besides the device registry and the migrations. Every method opens
/// its own pooled connection; what must be atomic is one database transaction (on PostgreSQL usually one round trip:
/// a multi-statement command is one implicit transaction). All state lives here, so any number of gateway instances
/// can share one database. The methods are grouped by area in the GatewayStore.*.cs files.
/// </summary>
public sealed partial class GatewayStore(GatewayDatabase database)
{
    public GatewayDatabase Database => database;

    /// <summary>Round trip to the database; returns the schema version (for /readyz).</summary>
    public async Task<int> PingAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Migrator.CurrentVersionAsync(connection).ConfigureAwait(false);
    }
}
