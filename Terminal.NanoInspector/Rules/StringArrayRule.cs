using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO009: a <c>string[]</c> created without its array initializer writing every element. nf-interpreter
/// (CLR_RT_HeapBlock_Array::ClearElements) fills a new string[] with string-typed blocks that have no text
/// instead of null references; <c>string ==</c>, <c>!=</c>, <c>string.Equals</c> and <c>string.Compare</c>
/// on such a never-written element run strcmp on a null pointer and crash the interpreter (segfault on the
/// POSIX nanoCLR, a fault on the device). Checked in IL: each <c>newarr System.String</c> of constant length
/// must be followed by the compiler's initializer sequence (<c>dup; ldc.i4 k; value; stelem.ref</c>) for every
/// index. Roslyn leaves out the stores of null elements, so <c>{ "a", null }</c> is reported too. An array whose
/// length is computed at run time is not reported: it is filled by a loop, which IL alone cannot prove complete
/// (such arrays, e.g. the DIAG lines, are covered by the self-test and the nanoCLR runs instead).
/// </summary>
internal sealed class StringArrayRule : INanoRule
{
    private const string Why = "nanoCLR fills a new string[] with text-less string blocks, not null references, and " +
        "string ==/!=/Equals/Compare on an element never written dereferences null and crashes the interpreter; " +
        "write every element in the array initializer (\"\" or string.Empty for an empty slot)";

    public string Id => "NANO009";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        foreach (MethodDefinitionHandle method in reader.MethodDefinitions)
        {
            MethodBodyBlock? body = assembly.GetBody(method);
            if (body == null)
            {
                continue;
            }

            List<ILInstruction> code = ILScanner.Read(body).ToList();
            for (int i = 0; i < code.Count; i++)
            {
                if (code[i].OpCode == ILOpCode.Newarr && IsSystemString(reader, code[i].Token))
                {
                    string? problem = Problem(code, i);
                    if (problem != null)
                    {
                        yield return assembly.Report(Id, assembly.SiteOf(method), $"creates a string[] {problem}; {Why}");
                    }
                }
            }
        }
    }

    /// <summary>What is wrong with the string[] created at <paramref name="at"/>, or null when every element is written.</summary>
    private static string? Problem(List<ILInstruction> code, int at)
    {
        int? length = at > 0 ? ILScanner.Int32Constant(code[at - 1]) : null;
        if (length == null)
        {
            return null;
        }

        var written = new HashSet<int>();
        int p = at + 1;
        while (p + 1 < code.Count && code[p].OpCode == ILOpCode.Dup && ILScanner.Int32Constant(code[p + 1]) is int index)
        {
            int store = code.FindIndex(p + 2, c => c.OpCode == ILOpCode.Stelem_ref);
            if (store < 0)
            {
                break;
            }

            written.Add(index);
            p = store + 1;
        }

        List<int> missing = Enumerable.Range(0, length.Value).Where(k => !written.Contains(k)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        string shown = string.Join(", ", missing.Take(8)) + (missing.Count > 8 ? ", ..." : "");
        return $"of length {length} whose initializer does not write element(s) {shown}";
    }

    private static bool IsSystemString(MetadataReader reader, EntityHandle token)
    {
        if (token.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        TypeReference type = reader.GetTypeReference((TypeReferenceHandle)token);
        return reader.StringComparer.Equals(type.Namespace, "System") && reader.StringComparer.Equals(type.Name, "String");
    }
}
