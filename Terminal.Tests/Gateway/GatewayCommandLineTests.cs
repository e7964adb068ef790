using System.CommandLine;
using Terminal.Gateway.Cli;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The gateway's command line as a whole: help on every command, usage errors (exit 2, the option named, nothing opened),
/// completion through the [suggest] directive, and configuration arguments kept apart from the commands.
/// </summary>
public sealed class GatewayCommandLineTests
{
    /// <summary>A context whose configuration fails the test if read: a usage error must not get as far as the database.</summary>
    private static (CliContext Context, StringWriter Out, StringWriter Err) Untouchable()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        return (new CliContext([], () => throw new InvalidOperationException("configuration read"), TextReader.Null, stdout, stderr), stdout, stderr);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (context, stdout, stderr) = Untouchable();
        int code = await GatewayCommandLine.InvokeAsync(GatewayCommandLine.Create(context, _ => Task.FromResult(42)), args, context);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Every_command_has_help_that_exits_0_without_opening_the_database()
    {
        var (context, _, _) = Untouchable();
        var paths = new List<string[]>();
        void Walk(Command command, string[] path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands) Walk(sub, [.. path, sub.Name]);
        }
        Walk(GatewayCommandLine.Create(context, _ => Task.FromResult(42)), []);

        Assert.True(paths.Count > 30, $"{paths.Count} commands");
        foreach (var path in paths)
        {
            var (code, output, err) = await Run([.. path, "--help"]);
            Assert.True((0, "") == (code, err), $"{string.Join(' ', path)} --help: {code} {err}");
            Assert.Contains("Usage:", output);
        }
        var root = await Run("--help");
        foreach (string group in new[] { "devices", "users", "resolutions", "day", "bundles", "rollouts", "--Gateway:" }) Assert.Contains(group, root.Out);
    }

    [Theory]
    [InlineData("--bogus", "devices", "list", "--bogus")]
    [InlineData("frobnicate", "devices", "frobnicate")]
    [InlineData("--colour", "rollouts", "create", "--version", "1.4.0", "--by", "a", "--colour", "red")]
    [InlineData("--bogus", "--bogus")]
    public async Task An_unknown_option_or_command_exits_2_naming_it_and_opens_nothing(string named, params string[] args)
    {
        var (code, output, err) = await Run(args);

        Assert.Equal((2, ""), (code, output));
        Assert.Contains($"'{named}'", err);
        Assert.Contains("Usage:", err); // the command's help follows the error, on stderr
    }

    [Theory]
    [InlineData("revoke", "devices", "revoke")]
    [InlineData("reconcile", "day", "reconcile", "2026-12-03")]
    [InlineData("--status", "resolutions", "close", "a1", "--by", "bob", "--note", "checked")]
    [InlineData("--by", "devices", "settings", "set", "store", "S001", "--values", "{}")]
    [InlineData("--by", "bundles", "upload", "folder")]
    [InlineData("--role", "users", "add", "olivia")]
    public async Task A_missing_argument_or_required_option_exits_2_naming_it(string named, params string[] args)
    {
        var (code, output, err) = await Run(args);

        Assert.Equal((2, ""), (code, output));
        Assert.Contains(named, err.Split('\n')[0]);
    }

    [Theory]
    [InlineData("--max-amount", "devices", "add", "T0001", "--max-amount", "ten")]
    [InlineData("--max-amount", "devices", "add", "T0001", "--max-amount", "0")]
    [InlineData("--role", "users", "add", "olivia", "--role", "admin")]
    [InlineData("role", "users", "set-role", "olivia", "root")]
    [InlineData("--limit", "devices", "settings", "history", "--limit", "5000")]
    [InlineData("--state", "resolutions", "list", "--state", "weird")]
    [InlineData("--limit", "resolutions", "list", "--limit", "x")]
    [InlineData("--percent", "rollouts", "create", "--version", "1.4.0", "--by", "a", "--percent", "half")]
    public async Task A_bad_value_exits_2_naming_the_option(string named, params string[] args)
    {
        var (code, output, err) = await Run(args);

        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith(named + ":", err);
    }

    [Theory]
    [InlineData("Terminal.Gateway devices ro", "rotate-key")]
    [InlineData("Terminal.Gateway users add olivia --role o", "operator")]
    [InlineData("Terminal.Gateway resolutions close a1 --status ", "CANCELLED")]
    [InlineData("Terminal.Gateway devices settings show ", "store")]
    public async Task Tab_completion_answers_the_suggest_directive(string line, string offered)
    {
        var (code, output, _) = await Run($"[suggest:{line.Length}]", line);

        Assert.Equal(0, code);
        Assert.Contains(offered, output.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Configuration_arguments_are_kept_apart_from_the_command_in_both_spellings()
    {
        var (command, configuration) = GatewayCommandLine.Split(
            ["devices", "--Gateway:Database:Provider=sqlite", "settings", "set", "store", "S002", "--values", "{\"a\":1}", "--gateway:KeyEncryptionKeyPath", "secrets/kek",
             "--by", "a:b", "--Logging:Console:FormatterName=simple"]);

        Assert.Equal(new[] { "devices", "settings", "set", "store", "S002", "--values", "{\"a\":1}", "--by", "a:b" }, command);
        Assert.Equal(new[] { "--Gateway:Database:Provider=sqlite", "--gateway:KeyEncryptionKeyPath", "secrets/kek", "--Logging:Console:FormatterName=simple" }, configuration);
    }

    [Fact]
    public async Task No_command_runs_the_server_with_the_configuration_arguments()
    {
        string[]? given = null;
        var (context, _, _) = Untouchable();
        context = context with { ConfigurationArguments = ["--Gateway:Urls:0=http://127.0.0.1:0"] };

        int code = await GatewayCommandLine.InvokeAsync(GatewayCommandLine.Create(context, args => { given = args; return Task.FromResult(7); }), [], context);

        Assert.Equal((7, "--Gateway:Urls:0=http://127.0.0.1:0"), (code, given?.Single()));
    }
}
