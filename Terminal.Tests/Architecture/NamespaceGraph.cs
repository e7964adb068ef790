using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Terminal.NanoInspector.Inspection;

namespace Terminal.Tests.Architecture;

/// <summary>
/// Which namespaces of a set of compiled assemblies use which others, read from their metadata with
/// System.Reflection.Metadata: base types, interfaces, field, method, property and local signatures, and the
/// type, method and field tokens of every IL instruction (a static call names only the method, so the tokens
/// are resolved to the type that declares it). Nested types count for their outer type's namespace. Only
/// types defined in the set count, in the same assembly or referenced from another of the set; framework types
/// and other assemblies are ignored. A node is what <c>nodeOf</c> makes of a namespace (e.g. the folder below a
/// root namespace).
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedDictionary<string, string>> _edges = new(StringComparer.Ordinal);

    private NamespaceGraph()
    {
    }

    /// <summary>Every node that defines a type, with or without edges.</summary>
    public SortedSet<string> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>(from, to, example) for every node that uses another one; the example names one use.</summary>
    public IEnumerable<(string From, string To, string Example)> Edges =>
        _edges.SelectMany(e => e.Value.Select(t => (e.Key, t.Key, t.Value)));

    public IEnumerable<string> Uses(string from) =>
        _edges.TryGetValue(from, out var to) ? to.Keys : Enumerable.Empty<string>();

    public static NamespaceGraph Read(string assemblyPath, Func<string, string> nodeOf) => Read([assemblyPath], nodeOf);

    /// <summary>One graph over several assemblies: a use of a type of another assembly of the set is an edge too.</summary>
    public static NamespaceGraph Read(IReadOnlyCollection<string> assemblyPaths, Func<string, string> nodeOf)
    {
        var graph = new NamespaceGraph();
        var set = new HashSet<string>(assemblyPaths.Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
        foreach (string path in assemblyPaths)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            new Walker(pe.GetMetadataReader(), pe, nodeOf, set, graph).Build();
        }

        return graph;
    }

    /// <summary>
    /// One cycle (as a path that returns to its first node), or null when the graph is acyclic.
    /// A depth-first search with the usual three colours.
    /// </summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (string start in Nodes)
        {
            IReadOnlyList<string>? cycle = Visit(start, state, path);
            if (cycle != null)
            {
                return cycle;
            }
        }

        return null;
    }

    private IReadOnlyList<string>? Visit(string node, Dictionary<string, int> state, List<string> path)
    {
        state.TryGetValue(node, out int s);
        if (s == 2)
        {
            return null;
        }

        if (s == 1)
        {
            int from = path.IndexOf(node);
            return path.Skip(from).Append(node).ToList();
        }

        state[node] = 1;
        path.Add(node);
        foreach (string next in Uses(node))
        {
            IReadOnlyList<string>? cycle = Visit(next, state, path);
            if (cycle != null)
            {
                return cycle;
            }
        }

        path.RemoveAt(path.Count - 1);
        state[node] = 2;
        return null;
    }

    public string Example(string from, string to) =>
        _edges.TryGetValue(from, out var t) && t.TryGetValue(to, out string? example) ? example : "";

    private void Add(string from, string to, string example)
    {
        if (from == to || to.Length == 0)
        {
            return;
        }

        if (!_edges.TryGetValue(from, out var targets))
        {
            _edges[from] = targets = new SortedDictionary<string, string>(StringComparer.Ordinal);
        }

        targets.TryAdd(to, example);
    }

    private sealed class Walker : ISignatureTypeProvider<string, object?>
    {
        private readonly MetadataReader _reader;
        private readonly PEReader _pe;
        private readonly Func<string, string> _nodeOf;
        private readonly HashSet<string> _set;
        private readonly NamespaceGraph _graph;

        public Walker(MetadataReader reader, PEReader pe, Func<string, string> nodeOf, HashSet<string> set, NamespaceGraph graph)
        {
            _reader = reader;
            _pe = pe;
            _nodeOf = nodeOf;
            _set = set;
            _graph = graph;
        }

        public void Build()
        {
            foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
            {
                string ns = NamespaceOf(handle);
                if (ns.Length == 0)
                {
                    continue; // <Module> and compiler helpers without a namespace
                }

                _graph.Nodes.Add(ns);
                TypeDefinition type = _reader.GetTypeDefinition(handle);
                string site = Name(handle);
                Use(ns, site, type.BaseType);
                foreach (InterfaceImplementationHandle i in type.GetInterfaceImplementations())
                {
                    Use(ns, site, _reader.GetInterfaceImplementation(i).Interface);
                }

                foreach (FieldDefinitionHandle f in type.GetFields())
                {
                    UseAll(ns, site, _reader.GetFieldDefinition(f).DecodeSignature(this, null));
                }

                foreach (PropertyDefinitionHandle p in type.GetProperties())
                {
                    UseSignature(ns, site, _reader.GetPropertyDefinition(p).DecodeSignature(this, null));
                }

                foreach (MethodDefinitionHandle m in type.GetMethods())
                {
                    WalkMethod(ns, site, m);
                }
            }
        }

        private void WalkMethod(string ns, string site, MethodDefinitionHandle handle)
        {
            MethodDefinition method = _reader.GetMethodDefinition(handle);
            site = site + "." + _reader.GetString(method.Name);
            UseSignature(ns, site, method.DecodeSignature(this, null));
            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            MethodBodyBlock body = _pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                foreach (string local in _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null))
                {
                    UseAll(ns, site, local);
                }
            }

            foreach (ILInstruction instruction in ILScanner.Read(body))
            {
                if (!instruction.Token.IsNil)
                {
                    UseToken(ns, site, instruction.Token);
                }
            }
        }

        private void UseToken(string ns, string site, EntityHandle token)
        {
            switch (token.Kind)
            {
                case HandleKind.TypeDefinition:
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    Use(ns, site, token);
                    break;
                case HandleKind.MethodDefinition:
                    Use(ns, site, _reader.GetMethodDefinition((MethodDefinitionHandle)token).GetDeclaringType());
                    UseSignature(ns, site, _reader.GetMethodDefinition((MethodDefinitionHandle)token).DecodeSignature(this, null));
                    break;
                case HandleKind.FieldDefinition:
                    Use(ns, site, _reader.GetFieldDefinition((FieldDefinitionHandle)token).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    MemberReference member = _reader.GetMemberReference((MemberReferenceHandle)token);
                    if (member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification)
                    {
                        Use(ns, site, (EntityHandle)member.Parent);
                    }

                    break;
                case HandleKind.MethodSpecification:
                    UseToken(ns, site, _reader.GetMethodSpecification((MethodSpecificationHandle)token).Method);
                    break;
            }
        }

        private void Use(string ns, string site, EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    var definition = (TypeDefinitionHandle)handle;
                    _graph.Add(ns, NamespaceOf(definition), site + " -> " + Name(definition));
                    break;
                case HandleKind.TypeReference:
                    var reference = (TypeReferenceHandle)handle;
                    if (IsInSet(reference))
                    {
                        _graph.Add(ns, NamespaceOf(reference), site + " -> " + Name(reference));
                    }

                    break;
                case HandleKind.TypeSpecification:
                    UseAll(ns, site, _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null));
                    break;
            }
        }

        private void UseSignature(string ns, string site, MethodSignature<string> signature)
        {
            UseAll(ns, site, signature.ReturnType);
            foreach (string parameter in signature.ParameterTypes)
            {
                UseAll(ns, site, parameter);
            }
        }

        // The provider encodes every type of the set a signature mentions as "\u0001namespace\u0002name\u0003"
        // inside the decoded string; framework types as their plain names.
        private void UseAll(string ns, string site, string decoded)
        {
            int start = 0;
            while ((start = decoded.IndexOf('\u0001', start)) >= 0)
            {
                int split = decoded.IndexOf('\u0002', start);
                int end = decoded.IndexOf('\u0003', split);
                _graph.Add(ns, decoded.Substring(start + 1, split - start - 1), site + " -> " + decoded.Substring(split + 1, end - split - 1));
                start = end;
            }
        }

        private string NamespaceOf(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            while (type.IsNested)
            {
                type = _reader.GetTypeDefinition(type.GetDeclaringType());
            }

            string ns = _reader.GetString(type.Namespace);
            return ns.Length == 0 ? ns : _nodeOf(ns);
        }

        /// <summary>Whether the referenced type is defined in another assembly of the set.</summary>
        private bool IsInSet(TypeReferenceHandle handle)
        {
            TypeReference type = _reader.GetTypeReference(handle);
            while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                type = _reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            }

            return type.ResolutionScope.Kind == HandleKind.AssemblyReference &&
                _set.Contains(_reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name));
        }

        private string NamespaceOf(TypeReferenceHandle handle)
        {
            TypeReference type = _reader.GetTypeReference(handle);
            while (type.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                type = _reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
            }

            string ns = _reader.GetString(type.Namespace);
            return ns.Length == 0 ? ns : _nodeOf(ns);
        }

        private string Name(TypeReferenceHandle handle)
        {
            TypeReference type = _reader.GetTypeReference(handle);
            string name = _reader.GetString(type.Name);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? Name((TypeReferenceHandle)type.ResolutionScope) + "+" + name
                : _reader.GetString(type.Namespace) + "." + name;
        }

        private string Name(TypeDefinitionHandle handle)
        {
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            string name = _reader.GetString(type.Name);
            return type.IsNested ? Name(type.GetDeclaringType()) + "+" + name : _reader.GetString(type.Namespace) + "." + name;
        }

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            "\u0001" + NamespaceOf(handle) + "\u0002" + Name(handle) + "\u0003";

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            IsInSet(handle)
                ? "\u0001" + NamespaceOf(handle) + "\u0002" + Name(handle) + "\u0003"
                : reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
    }
}
