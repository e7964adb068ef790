using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Terminal.AntomEmulator;

/// <summary>The standalone server: <c>dotnet run --project Terminal.AntomEmulator -- --urls https://127.0.0.1:9443 ...</c>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CommandLine.InvokeAsync(args, Console.Out, Console.Error, (command, _) => ServeAsync(command));

    private static async Task<int> ServeAsync(CommandLine command)
    {
        await using var emulator = await AntomEmulatorServer.StartAsync(command.Options);
        foreach (var (clientId, keyVersion, key) in command.Clients)
        {
            emulator.RegisterClient(clientId, key, keyVersion);
        }

        if (command.ExportCaPath != null)
        {
            await File.WriteAllTextAsync(command.ExportCaPath, emulator.CaCertificatePem);
        }

        if (command.ExportPublicKeyPath != null)
        {
            await File.WriteAllTextAsync(command.ExportPublicKeyPath, PemEncoding.WriteString("PUBLIC KEY", emulator.AntomPublicKey));
        }

        Console.WriteLine($"Antom emulator listening on {string.Join(", ", new[] { emulator.HttpsBaseUri, emulator.HttpBaseUri }.Where(u => u != null))}");
        Console.WriteLine($"Antom public key (SPKI, base64): {emulator.AntomPublicKeyBase64}");
        Console.WriteLine(command.Options.EnableControlApi
            ? $"Control API: {emulator.BaseUri}__emulator/ (CA certificate at {emulator.BaseUri}__emulator/ca.pem)"
            : "Control API disabled");

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        Console.WriteLine("Antom emulator stopping");
        return 0;
    }
}
