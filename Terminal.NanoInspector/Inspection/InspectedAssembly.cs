using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// A compiled assembly opened for inspection: its metadata, its portable PDB when there is one, and
/// the helpers every rule shares (names, source locations, decoded type uses).
/// </summary>
internal sealed class InspectedAssembly : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReaderProvider? _pdbProvider;
    private readonly SourceLocator _locator;
    private List<TypeUsage>? _typeUsages;
    private Dictionary<MethodDefinitionHandle, EntityHandle>? _accessorOwners;
    private List<(MethodDefinitionHandle Method, int Bytes)>? _nanoByteCode;

    private InspectedAssembly(string path, PEReader pe, MetadataReaderProvider? pdbProvider)
    {
        Path = path;
        _pe = pe;
        _pdbProvider = pdbProvider;
        Reader = pe.GetMetadataReader();
        Names = new MetadataNames(Reader);
        Shapes = new TypeShapeProvider(Reader, Names);
        _locator = new SourceLocator(Reader, pdbProvider?.GetMetadataReader(), path);
    }

    public string Path { get; }

    public MetadataReader Reader { get; }

    public MetadataNames Names { get; }

    public TypeShapeProvider Shapes { get; }

    /// <summary>Every place a type is used: signatures, locals, IL operands, base types (decoded once).</summary>
    public IReadOnlyList<TypeUsage> TypeUsages => _typeUsages ??= TypeUsageWalker.Walk(this).ToList();

    /// <summary>Each method's size in the .pe's ByteCode table (<see cref="NanoByteCode"/>; computed once).</summary>
    public IReadOnlyList<(MethodDefinitionHandle Method, int Bytes)> NanoByteCodeMethods =>
        _nanoByteCode ??= NanoByteCode.Methods(Reader, rva => _pe.GetMethodBody(rva)).ToList();

    /// <summary>The size of the .pe's ByteCode table.</summary>
    public int NanoByteCodeBytes => NanoByteCodeMethods.Sum(m => m.Bytes);

    public static InspectedAssembly Open(string path)
    {
        var pe = new PEReader(File.OpenRead(path));
        try
        {
            if (!pe.HasMetadata)
            {
                throw new BadImageFormatException($"{path} is not a .NET assembly (no metadata)");
            }

            return new InspectedAssembly(path, pe, OpenPdb(pe, path));
        }
        catch
        {
            pe.Dispose();
            throw;
        }
    }

    /// <summary>The portable PDB beside the dll or embedded in it; a missing or unreadable one only costs lines.</summary>
    private static MetadataReaderProvider? OpenPdb(PEReader pe, string path)
    {
        try
        {
            pe.TryOpenAssociatedPortablePdb(
                path,
                candidate => File.Exists(candidate) ? File.OpenRead(candidate) : null,
                out MetadataReaderProvider? pdb,
                out _);
            return pdb;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The site of a method's code: an accessor (get_X, add_E, ...) is reported as its property or event,
    /// so one event with a bad type gives one finding, not four.
    /// </summary>
    public CodeSite SiteOf(MethodDefinitionHandle method)
    {
        _accessorOwners ??= MapAccessors();
        TypeDefinitionHandle type = Reader.GetMethodDefinition(method).GetDeclaringType();
        return new CodeSite(type, _accessorOwners.TryGetValue(method, out EntityHandle owner) ? owner : method);
    }

    private Dictionary<MethodDefinitionHandle, EntityHandle> MapAccessors()
    {
        var owners = new Dictionary<MethodDefinitionHandle, EntityHandle>();
        foreach (TypeDefinitionHandle type in Reader.TypeDefinitions)
        {
            foreach (PropertyDefinitionHandle property in Reader.GetTypeDefinition(type).GetProperties())
            {
                PropertyAccessors accessors = Reader.GetPropertyDefinition(property).GetAccessors();
                foreach (MethodDefinitionHandle accessor in accessors.Others.Append(accessors.Getter).Append(accessors.Setter))
                {
                    if (!accessor.IsNil)
                    {
                        owners[accessor] = property;
                    }
                }
            }

            foreach (EventDefinitionHandle ev in Reader.GetTypeDefinition(type).GetEvents())
            {
                EventAccessors accessors = Reader.GetEventDefinition(ev).GetAccessors();
                foreach (MethodDefinitionHandle accessor in accessors.Others.Append(accessors.Adder).Append(accessors.Remover).Append(accessors.Raiser))
                {
                    if (!accessor.IsNil)
                    {
                        owners[accessor] = ev;
                    }
                }
            }
        }

        return owners;
    }

    public MethodBodyBlock? GetBody(MethodDefinitionHandle handle)
    {
        int rva = Reader.GetMethodDefinition(handle).RelativeVirtualAddress;
        return rva == 0 ? null : _pe.GetMethodBody(rva);
    }

    public Finding Report(string ruleId, CodeSite site, string message)
    {
        SourceLocation location = _locator.Locate(site);
        return new Finding(ruleId, location.File, location.Line, Names.Site(site), CompilerGenerated.Explain(this, site) + message);
    }

    public void Dispose()
    {
        _pdbProvider?.Dispose();
        _pe.Dispose();
    }
}
