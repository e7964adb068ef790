using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Terminal.AntomEmulator;

/// <summary>
/// Keeps a copy of the state in one SQLite file: one row per payment, refund, issued code and client key (JSON
/// documents), plus named blobs for the Antom signing key and the CA so clients keep trusting a restarted emulator.
/// </summary>
internal sealed class SqliteStateStore : IStateStore
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly SqliteConnection _connection;

    public SqliteStateStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS payments (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS refunds (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS codes (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS client_keys (client_id TEXT NOT NULL, key_version INTEGER NOT NULL, spki BLOB NOT NULL,
                PRIMARY KEY (client_id, key_version));
            CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, value BLOB NOT NULL);
            """);
    }

    public StoredState Load()
    {
        var keys = new List<StoredClientKey>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT client_id, key_version, spki FROM client_keys ORDER BY client_id, key_version";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(new StoredClientKey(reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2)));
            }
        }

        return new StoredState(LoadDocuments<Payment>("payments"), LoadDocuments<Refund>("refunds"), LoadDocuments<IssuedCode>("codes"), keys);
    }

    public void SavePayment(Payment payment) => Upsert("payments", payment.PaymentId, JsonSerializer.Serialize(payment, Json));

    public void SaveRefund(Refund refund) => Upsert("refunds", refund.RefundId, JsonSerializer.Serialize(refund, Json));

    public void SaveCode(IssuedCode code) => Upsert("codes", code.Code, JsonSerializer.Serialize(code, Json));

    public void SaveClientKey(StoredClientKey key)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO client_keys (client_id, key_version, spki) VALUES ($c, $v, $k)";
        command.Parameters.AddWithValue("$c", key.ClientId);
        command.Parameters.AddWithValue("$v", key.KeyVersion);
        command.Parameters.AddWithValue("$k", key.SubjectPublicKeyInfo);
        command.ExecuteNonQuery();
    }

    public byte[]? GetBlob(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM blobs WHERE name = $n";
        command.Parameters.AddWithValue("$n", name);
        return command.ExecuteScalar() as byte[];
    }

    public void SetBlob(string name, byte[] value)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO blobs (name, value) VALUES ($n, $v)";
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private List<T> LoadDocuments<T>(string table)
    {
        var documents = new List<T>();
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT json FROM {table} ORDER BY rowid";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            documents.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), Json)
                ?? throw new InvalidDataException($"empty document in table {table}"));
        }

        return documents;
    }

    private void Upsert(string table, string id, string json)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} (id, json) VALUES ($id, $json) ON CONFLICT(id) DO UPDATE SET json = excluded.json";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$json", json);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
