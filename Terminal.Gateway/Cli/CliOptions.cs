using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Terminal.Gateway.Cli;

/// <summary>Options and arguments whose bad values are usage errors naming the option (exit 2), with completions where the values are few.</summary>
internal static class CliOptions
{
    public static Option<string> Text(string name, string description, string helpName, bool required = false) =>
        new(name) { Description = description, HelpName = helpName, Required = required };

    /// <summary>One of <paramref name="values"/>; tab completion offers them.</summary>
    public static Option<string> OneOf(string name, string description, IReadOnlyList<string> values, bool required = false)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join('|', values), Required = required };
        option.CompletionSources.Add([.. values]);
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value != null && !values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name}: '{value}' is not {string.Join(", ", values.SkipLast(1))} or {values[^1]}");
        });
        return option;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<long?> Number(string name, string description, long min, long max, string? problem = null, string? helpName = null) =>
        new(name)
        {
            Description = description,
            HelpName = helpName ?? $"{min}..{max}",
            CustomParser = result => Parse(result, name, min, max, problem),
        };

    /// <summary>A positional argument that is one of <paramref name="values"/>; tab completion offers them.</summary>
    public static Argument<string> OneOfArgument(string name, string description, IReadOnlyList<string> values)
    {
        var argument = new Argument<string>(name) { Description = description, HelpName = string.Join('|', values) };
        argument.CompletionSources.Add([.. values]);
        argument.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value != null && !values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name}: '{value}' is not {string.Join(", ", values.SkipLast(1))} or {values[^1]}");
        });
        return argument;
    }

    private static long? Parse(ArgumentResult result, string name, long min, long max, string? problem)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max) return value;
        result.AddError(problem ?? $"{name}: a whole number from {min} to {max}, got '{text}'");
        return null;
    }
}
