using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Readable names for metadata entities, C#-like: <c>Demo.Outer.Box&lt;T&gt;</c>, <c>Demo.C.Run</c>,
/// <c>System.Action`1</c> for an open reference. Nested types are joined with a dot.
/// </summary>
internal sealed class MetadataNames(MetadataReader reader)
{
    public string Type(TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = WithGenericParameters(reader.GetString(type.Name), type.GetGenericParameters());
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return Type(declaring) + "." + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string Type(TypeReferenceHandle handle)
    {
        TypeReference type = reader.GetTypeReference(handle);
        string name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Type((TypeReferenceHandle)type.ResolutionScope) + "." + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Name of a TypeDef or TypeRef; a TypeSpec is decoded by the caller.</summary>
    public string TypeDefOrRef(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeDefinition => Type((TypeDefinitionHandle)handle),
        HandleKind.TypeReference => Type((TypeReferenceHandle)handle),
        _ => "(type specification)",
    };

    /// <summary>Member name without its type: method (with its type parameters), field, property or event.</summary>
    public string Member(EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                MethodDefinition method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                return WithGenericParameters(reader.GetString(method.Name), method.GetGenericParameters());
            case HandleKind.FieldDefinition:
                return reader.GetString(reader.GetFieldDefinition((FieldDefinitionHandle)handle).Name);
            case HandleKind.PropertyDefinition:
                return reader.GetString(reader.GetPropertyDefinition((PropertyDefinitionHandle)handle).Name);
            case HandleKind.EventDefinition:
                return reader.GetString(reader.GetEventDefinition((EventDefinitionHandle)handle).Name);
            default:
                return handle.Kind.ToString();
        }
    }

    public string Site(CodeSite site)
    {
        if (site.IsAssembly)
        {
            return reader.GetString(reader.GetAssemblyDefinition().Name);
        }

        string type = Type(site.Type);
        return site.Member.IsNil ? type : type + "." + Member(site.Member);
    }

    public string GenericParameterName(GenericParameterHandleCollection parameters, int index)
    {
        return index < parameters.Count
            ? reader.GetString(reader.GetGenericParameter(parameters[index]).Name)
            : "!" + index;
    }

    private string WithGenericParameters(string name, GenericParameterHandleCollection parameters)
    {
        if (parameters.Count == 0)
        {
            return name;
        }

        int tick = name.IndexOf('`');
        string bare = tick >= 0 ? name[..tick] : name;
        IEnumerable<string> names = parameters.Select(p => reader.GetString(reader.GetGenericParameter(p).Name));
        return bare + "<" + string.Join(",", names) + ">";
    }
}
