using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Terminal.NanoInspector.Inspection;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>
/// A tiny assembly compiled in-process with Roslyn exactly as the nano build compiles portable code:
/// against nanoFramework.CoreLibrary's mscorlib.dll alone, NANO defined, with a portable PDB beside the
/// dll. Lives in its own temporary folder, deleted on Dispose.
/// </summary>
internal sealed class NanoSample : IDisposable
{
    /// <summary>Copied to the test output by Terminal.Tests.csproj from the restored package.</summary>
    public static readonly string MscorlibPath = Path.Combine(AppContext.BaseDirectory, "nano", "mscorlib.dll");

    private NanoSample(string directory, string assemblyPath, string sourcePath)
    {
        Directory = directory;
        AssemblyPath = assemblyPath;
        SourcePath = sourcePath;
    }

    public string Directory { get; }

    public string AssemblyPath { get; }

    public string SourcePath { get; }

    public static NanoSample Compile(
        string source,
        string assemblyName = "Sample",
        bool allowUnsafe = false,
        bool withPdb = true,
        params NanoSample[] references)
    {
        string directory = Path.Combine(Path.GetTempPath(), "nano-inspector-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        string sourcePath = Path.Combine(directory, assemblyName + ".cs");
        File.WriteAllText(sourcePath, source);

        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp13, preprocessorSymbols: ["NANO"]);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, parseOptions, sourcePath, System.Text.Encoding.UTF8);
        IEnumerable<MetadataReference> metadata = references
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.AssemblyPath))
            .Prepend(MetadataReference.CreateFromFile(MscorlibPath));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            allowUnsafe: allowUnsafe,
            nullableContextOptions: NullableContextOptions.Disable,
            optimizationLevel: OptimizationLevel.Debug);
        CSharpCompilation compilation = CSharpCompilation.Create(assemblyName, [tree], metadata, options);

        string assemblyPath = Path.Combine(directory, assemblyName + ".dll");
        using (FileStream pe = File.Create(assemblyPath))
        using (Stream pdb = withPdb ? File.Create(Path.ChangeExtension(assemblyPath, ".pdb")) : Stream.Null)
        {
            var emitOptions = new EmitOptions(
                debugInformationFormat: withPdb ? DebugInformationFormat.PortablePdb : DebugInformationFormat.Pdb,
                pdbFilePath: withPdb ? Path.ChangeExtension(assemblyPath, ".pdb") : null);
            EmitResult result = compilation.Emit(pe, withPdb ? pdb : null, options: emitOptions);
            ImmutableArray<Diagnostic> errors = result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .ToImmutableArray();
            if (!result.Success)
            {
                throw new InvalidOperationException(
                    "sample does not compile against the nano mscorlib:\n" + string.Join("\n", errors));
            }
        }

        return new NanoSample(directory, assemblyPath, sourcePath);
    }

    public IReadOnlyList<Finding> Inspect(params string[] allowedReferences)
    {
        return Inspector.Inspect(AssemblyPath, new InspectionOptions(allowedReferences));
    }

    /// <summary>1-based line of the first source line containing <paramref name="text"/>.</summary>
    public int LineOf(string text)
    {
        string[] lines = File.ReadAllLines(SourcePath);
        int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' is not in the sample");
        return index + 1;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
