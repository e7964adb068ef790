using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO005: pointers and unsafe code: pointer and function-pointer types anywhere, pinned locals (what a
/// <c>fixed</c> statement compiles to) and <c>localloc</c> (stackalloc). The nanoFramework MetadataProcessor
/// rejects pointer types and the interpreter has no unmanaged memory model.
/// </summary>
internal sealed class UnsafeCodeRule : INanoRule
{
    private const string Why = "nanoFramework does not support pointers or unsafe code; use arrays and indices";

    public string Id => "NANO005";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        IEnumerable<Finding> types = UsageFindings.Report(
            assembly,
            Id,
            usage => usage.Shape.Has(TypeTraits.Pointer | TypeTraits.FunctionPointer | TypeTraits.Pinned),
            usage => $"{Describe(usage.Shape)} {usage.Shape.Name} ({usage.Role}); {Why}");
        foreach (Finding finding in types)
        {
            yield return finding;
        }

        MetadataReader reader = assembly.Reader;
        foreach (MethodDefinitionHandle method in reader.MethodDefinitions)
        {
            MethodBodyBlock? body = assembly.GetBody(method);
            if (body != null && ILScanner.Read(body).Any(i => i.OpCode == ILOpCode.Localloc))
            {
                CodeSite site = assembly.SiteOf(method);
                yield return assembly.Report(Id, site, $"allocates memory on the stack (stackalloc, IL localloc); {Why}");
            }
        }
    }

    private static string Describe(TypeShape shape)
    {
        if (shape.Has(TypeTraits.Pinned))
        {
            return "pins memory (a fixed statement) with";
        }

        return shape.Has(TypeTraits.FunctionPointer) ? "uses the function pointer type" : "uses the pointer type";
    }
}
