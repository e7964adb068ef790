using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text.RegularExpressions;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Finds source file and line for types and members from the portable PDB (beside the dll or embedded).
/// A method has sequence points (an async method's are in its state machine's MoveNext). A type has
/// none: its file comes from its methods (or the document the compiler recorded for a type without code,
/// or its nested types) and its line from a search for "class Name" in that file. Properties and events
/// take their accessor's line; fields a search for "name =" or "name;" below their type. Without a PDB
/// every location is the assembly file.
/// </summary>
internal sealed class SourceLocator
{
    // Roslyn's "TypeDefinitionDocuments" custom debug information: documents of types without method bodies.
    private static readonly Guid TypeDefinitionDocumentsKind = new("932E74BC-DBA9-4478-8D46-0F32A7BAB3D3");

    private readonly MetadataReader _reader;
    private readonly MetadataReader? _pdb;
    private readonly string _assemblyPath;
    private readonly Dictionary<TypeDefinitionHandle, SourceLocation?> _types = new();
    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>? _moveNextOf;

    public SourceLocator(MetadataReader reader, MetadataReader? pdb, string assemblyPath)
    {
        _reader = reader;
        _pdb = pdb;
        _assemblyPath = assemblyPath;
    }

    public SourceLocation Locate(CodeSite site)
    {
        SourceLocation? found = null;
        if (!site.IsAssembly && _pdb != null)
        {
            found = Member(site.Member) ?? Field(site) ?? Type(site.Type);
        }

        return found ?? new SourceLocation(_assemblyPath, 0);
    }

    private SourceLocation? Member(EntityHandle member)
    {
        switch (member.Kind)
        {
            case HandleKind.MethodDefinition:
                return Method((MethodDefinitionHandle)member);
            case HandleKind.PropertyDefinition:
                PropertyAccessors property = _reader.GetPropertyDefinition((PropertyDefinitionHandle)member).GetAccessors();
                return Method(property.Getter) ?? Method(property.Setter);
            case HandleKind.EventDefinition:
                EventAccessors ev = _reader.GetEventDefinition((EventDefinitionHandle)member).GetAccessors();
                return Method(ev.Adder) ?? Method(ev.Remover);
            default:
                return null;
        }
    }

    /// <summary>A field has no code of its own: look for "name =" or "name;" after its type's declaration.</summary>
    private SourceLocation? Field(CodeSite site)
    {
        if (site.Member.Kind is not (HandleKind.FieldDefinition or HandleKind.EventDefinition) || Type(site.Type) is not { } type)
        {
            return null;
        }

        string name = site.Member.Kind == HandleKind.FieldDefinition
            ? _reader.GetString(_reader.GetFieldDefinition((FieldDefinitionHandle)site.Member).Name)
            : _reader.GetString(_reader.GetEventDefinition((EventDefinitionHandle)site.Member).Name);
        int line = FindLine(type.File, type.Line, @"\b" + Regex.Escape(name) + @"\b\s*(=|;|,)");
        return line > 0 ? type with { Line = line } : null;
    }

    private SourceLocation? Method(MethodDefinitionHandle method)
    {
        if (method.IsNil)
        {
            return null;
        }

        foreach (SequencePoint point in _pdb!.GetMethodDebugInformation(method).GetSequencePoints())
        {
            if (!point.IsHidden)
            {
                return new SourceLocation(DocumentName(point.Document), point.StartLine);
            }
        }

        // An async or iterator method's code (and its lines) live in its state machine's MoveNext.
        _moveNextOf ??= MapStateMachines();
        return _moveNextOf.TryGetValue(method, out MethodDefinitionHandle moveNext) ? Method(moveNext) : null;
    }

    private Dictionary<MethodDefinitionHandle, MethodDefinitionHandle> MapStateMachines()
    {
        var map = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle>();
        foreach (MethodDefinitionHandle method in _reader.MethodDefinitions)
        {
            MethodDefinitionHandle kickoff = _pdb!.GetMethodDebugInformation(method).GetStateMachineKickoffMethod();
            if (!kickoff.IsNil)
            {
                map[kickoff] = method;
            }
        }

        return map;
    }

    private SourceLocation? Type(TypeDefinitionHandle handle)
    {
        if (!_types.TryGetValue(handle, out SourceLocation? location))
        {
            location = EarliestMethod(handle) ?? RecordedDocument(handle) ?? EarliestNested(handle) ?? DeclaringType(handle);
            if (location is { } found && FindDeclarationLine(found.File, handle) is > 0 and int line)
            {
                location = found with { Line = line };
            }

            _types[handle] = location;
        }

        return location;
    }

    private SourceLocation? EarliestMethod(TypeDefinitionHandle handle)
    {
        SourceLocation? earliest = null;
        foreach (MethodDefinitionHandle method in _reader.GetTypeDefinition(handle).GetMethods())
        {
            SourceLocation? here = Method(method);
            if (here is { } h && (earliest is not { } e || (h.File == e.File && h.Line < e.Line)))
            {
                earliest = here;
            }
        }

        return earliest;
    }

    private SourceLocation? EarliestNested(TypeDefinitionHandle handle)
    {
        foreach (TypeDefinitionHandle nested in _reader.GetTypeDefinition(handle).GetNestedTypes())
        {
            if (EarliestMethod(nested) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private SourceLocation? DeclaringType(TypeDefinitionHandle handle)
    {
        TypeDefinitionHandle declaring = _reader.GetTypeDefinition(handle).GetDeclaringType();
        return declaring.IsNil ? null : Type(declaring);
    }

    private SourceLocation? RecordedDocument(TypeDefinitionHandle handle)
    {
        foreach (CustomDebugInformationHandle cdiHandle in _pdb!.GetCustomDebugInformation(handle))
        {
            CustomDebugInformation cdi = _pdb.GetCustomDebugInformation(cdiHandle);
            if (_pdb.GetGuid(cdi.Kind) != TypeDefinitionDocumentsKind)
            {
                continue;
            }

            BlobReader blob = _pdb.GetBlobReader(cdi.Value);
            if (blob.RemainingBytes > 0)
            {
                DocumentHandle document = MetadataTokens.DocumentHandle(blob.ReadCompressedInteger());
                return new SourceLocation(DocumentName(document), 0);
            }
        }

        return null;
    }

    /// <summary>
    /// The PDB keeps lines for code only: the declaration line of a type is looked up in its file
    /// ("class Name"), which also beats the line of its first method. 0 when not found (or generated).
    /// </summary>
    private int FindDeclarationLine(string file, TypeDefinitionHandle handle)
    {
        string name = _reader.GetString(_reader.GetTypeDefinition(handle).Name);
        int tick = name.IndexOf('`');
        name = tick >= 0 ? name[..tick] : name;
        return name.StartsWith('<')
            ? 0
            : FindLine(file, 1, @"\b(class|struct|interface|enum|delegate|record)\b[^;{]*?\b" + Regex.Escape(name) + @"\b");
    }

    /// <summary>1-based number of the first line at or after <paramref name="from"/> that matches; 0 if none.</summary>
    private static int FindLine(string file, int from, string pattern)
    {
        if (!File.Exists(file))
        {
            return 0;
        }

        var regex = new Regex(pattern);
        string[] lines = File.ReadAllLines(file);
        for (int i = Math.Max(from, 1) - 1; i < lines.Length; i++)
        {
            if (regex.IsMatch(lines[i]))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private string DocumentName(DocumentHandle document)
    {
        return _pdb!.GetString(_pdb.GetDocument(document).Name);
    }
}
