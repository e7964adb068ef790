using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Enumerates every place where an assembly names a type: base types and interfaces, field, method,
/// property and event signatures, local variables, custom attribute constructors and the token
/// operands of every IL instruction (type, member, method-instantiation and call-site tokens).
/// Compiler-generated types are walked like any other.
/// </summary>
internal static class TypeUsageWalker
{
    public static IEnumerable<TypeUsage> Walk(InspectedAssembly assembly)
    {
        MetadataReader reader = assembly.Reader;
        var usages = new List<TypeUsage>();
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            var context = new GenericContext(typeHandle, default);
            CodeSite typeSite = CodeSite.OfType(typeHandle);

            AddTypeHandle(assembly, usages, typeSite, "base type", type.BaseType, context);
            foreach (InterfaceImplementationHandle impl in type.GetInterfaceImplementations())
            {
                EntityHandle iface = reader.GetInterfaceImplementation(impl).Interface;
                AddTypeHandle(assembly, usages, typeSite, "implemented interface", iface, context);
            }

            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                TypeShape shape = reader.GetFieldDefinition(fieldHandle).DecodeSignature(assembly.Shapes, context);
                usages.Add(new TypeUsage(new CodeSite(typeHandle, fieldHandle), "field type", shape, default));
            }

            foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
            {
                MethodSignature<TypeShape> signature =
                    reader.GetPropertyDefinition(propertyHandle).DecodeSignature(assembly.Shapes, context);
                AddSignature(usages, new CodeSite(typeHandle, propertyHandle), "property", signature);
            }

            foreach (EventDefinitionHandle eventHandle in type.GetEvents())
            {
                EntityHandle eventType = reader.GetEventDefinition(eventHandle).Type;
                AddTypeHandle(assembly, usages, new CodeSite(typeHandle, eventHandle), "event type", eventType, context);
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                WalkMethod(assembly, usages, typeHandle, methodHandle);
            }
        }

        WalkCustomAttributes(assembly, usages);
        return usages;
    }

    private static void WalkMethod(
        InspectedAssembly assembly, List<TypeUsage> usages, TypeDefinitionHandle typeHandle, MethodDefinitionHandle methodHandle)
    {
        MetadataReader reader = assembly.Reader;
        var context = new GenericContext(typeHandle, methodHandle);
        CodeSite site = assembly.SiteOf(methodHandle);
        MethodDefinition method = reader.GetMethodDefinition(methodHandle);
        AddSignature(usages, site, "signature", method.DecodeSignature(assembly.Shapes, context));

        MethodBodyBlock? body = assembly.GetBody(methodHandle);
        if (body == null)
        {
            return;
        }

        if (!body.LocalSignature.IsNil)
        {
            StandaloneSignature locals = reader.GetStandaloneSignature(body.LocalSignature);
            foreach (TypeShape local in locals.DecodeLocalSignature(assembly.Shapes, context))
            {
                usages.Add(new TypeUsage(site, "local variable", local, default));
            }
        }

        foreach (ILInstruction instruction in ILScanner.Read(body))
        {
            if (!instruction.Token.IsNil)
            {
                string role = "IL " + OpCodeName(instruction.OpCode);
                AddToken(assembly, usages, site, role, instruction.Token, context);
            }
        }
    }

    /// <summary>Adds what an IL token operand names; definitions of this assembly are checked where declared.</summary>
    private static void AddToken(
        InspectedAssembly assembly, List<TypeUsage> usages, CodeSite site, string role, EntityHandle token, GenericContext context)
    {
        MetadataReader reader = assembly.Reader;
        switch (token.Kind)
        {
            case HandleKind.TypeReference:
            case HandleKind.TypeSpecification:
                AddTypeHandle(assembly, usages, site, role, token, context);
                break;
            case HandleKind.MemberReference:
                AddMemberReference(assembly, usages, site, role, (MemberReferenceHandle)token, context);
                break;
            case HandleKind.MethodSpecification:
                MethodSpecification spec = reader.GetMethodSpecification((MethodSpecificationHandle)token);
                ImmutableArray<TypeShape> arguments = spec.DecodeSignature(assembly.Shapes, context);
                string method = MethodName(assembly, spec.Method, context);
                string name = method + "<" + string.Join(",", arguments.Select(a => a.Name)) + ">";
                TypeTraits traits = TypeTraits.GenericInstance;
                foreach (TypeShape argument in arguments)
                {
                    traits |= argument.Traits;
                }

                usages.Add(new TypeUsage(site, role, new TypeShape(name, traits), token));
                AddToken(assembly, usages, site, role, spec.Method, context);
                break;
            case HandleKind.StandaloneSignature:
                StandaloneSignature callSite = reader.GetStandaloneSignature((StandaloneSignatureHandle)token);
                if (callSite.GetKind() == StandaloneSignatureKind.Method)
                {
                    MethodSignature<TypeShape> signature = callSite.DecodeMethodSignature(assembly.Shapes, context);
                    usages.Add(new TypeUsage(site, role, assembly.Shapes.GetFunctionPointerType(signature), token));
                }

                break;
        }
    }

    private static void AddMemberReference(
        InspectedAssembly assembly, List<TypeUsage> usages, CodeSite site, string role, MemberReferenceHandle handle, GenericContext context)
    {
        MemberReference member = assembly.Reader.GetMemberReference(handle);
        if (member.Parent.Kind is HandleKind.TypeReference or HandleKind.TypeSpecification)
        {
            AddTypeHandle(assembly, usages, site, role, (EntityHandle)member.Parent, context);
        }

        // The referenced member's own signature may mention generic instances or md arrays. Its !0/!!0
        // refer to the member's declaring type or method, not to ours: decode without our context.
        if (member.GetKind() == MemberReferenceKind.Method)
        {
            AddSignature(usages, site, role, member.DecodeMethodSignature(assembly.Shapes, default));
        }
        else
        {
            usages.Add(new TypeUsage(site, role, member.DecodeFieldSignature(assembly.Shapes, default), default));
        }
    }

    private static void AddTypeHandle(
        InspectedAssembly assembly, List<TypeUsage> usages, CodeSite site, string role, EntityHandle handle, GenericContext context)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeSpecification:
                TypeShape shape = assembly.Reader.GetTypeSpecification((TypeSpecificationHandle)handle)
                    .DecodeSignature(assembly.Shapes, context);
                usages.Add(new TypeUsage(site, role, shape, handle));
                break;
            case HandleKind.TypeReference:
                string name = assembly.Names.Type((TypeReferenceHandle)handle);
                usages.Add(new TypeUsage(site, role, new TypeShape(name, TypeTraits.None), handle));
                break;
        }
    }

    private static void AddSignature(List<TypeUsage> usages, CodeSite site, string role, MethodSignature<TypeShape> signature)
    {
        usages.Add(new TypeUsage(site, role == "signature" ? "return type" : role, signature.ReturnType, default));
        foreach (TypeShape parameter in signature.ParameterTypes)
        {
            usages.Add(new TypeUsage(site, role == "signature" ? "parameter" : role, parameter, default));
        }
    }

    /// <summary>Attribute constructors can live on generic types too (e.g. an attribute of a generic class).</summary>
    private static void WalkCustomAttributes(InspectedAssembly assembly, List<TypeUsage> usages)
    {
        MetadataReader reader = assembly.Reader;
        foreach (CustomAttributeHandle handle in reader.CustomAttributes)
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            CodeSite site = SiteOf(assembly, attribute.Parent);
            var context = new GenericContext(site.Type, default);
            AddMemberReference(assembly, usages, site, "attribute", (MemberReferenceHandle)attribute.Constructor, context);
        }
    }

    /// <summary>The type and member an attribute belongs to.</summary>
    private static CodeSite SiteOf(InspectedAssembly assembly, EntityHandle owner)
    {
        MetadataReader reader = assembly.Reader;
        switch (owner.Kind)
        {
            case HandleKind.TypeDefinition:
                return CodeSite.OfType((TypeDefinitionHandle)owner);
            case HandleKind.MethodDefinition:
                return assembly.SiteOf((MethodDefinitionHandle)owner);
            case HandleKind.FieldDefinition:
                return new CodeSite(reader.GetFieldDefinition((FieldDefinitionHandle)owner).GetDeclaringType(), owner);
            case HandleKind.PropertyDefinition:
                PropertyAccessors property = reader.GetPropertyDefinition((PropertyDefinitionHandle)owner).GetAccessors();
                MethodDefinitionHandle accessor = property.Getter.IsNil ? property.Setter : property.Getter;
                return new CodeSite(reader.GetMethodDefinition(accessor).GetDeclaringType(), owner);
            case HandleKind.EventDefinition:
                EventAccessors ev = reader.GetEventDefinition((EventDefinitionHandle)owner).GetAccessors();
                return new CodeSite(reader.GetMethodDefinition(ev.Adder).GetDeclaringType(), owner);
            case HandleKind.Parameter:
                // Parameter attributes belong to their method; the Parameter row does not name it, so
                // search the method that owns the parameter row.
                foreach (MethodDefinitionHandle method in reader.MethodDefinitions)
                {
                    if (reader.GetMethodDefinition(method).GetParameters().Contains((ParameterHandle)owner))
                    {
                        return assembly.SiteOf(method);
                    }
                }

                return CodeSite.Assembly;
            default:
                return CodeSite.Assembly;
        }
    }

    private static string MethodName(InspectedAssembly assembly, EntityHandle method, GenericContext context)
    {
        MetadataReader reader = assembly.Reader;
        if (method.Kind == HandleKind.MethodDefinition)
        {
            MethodDefinition definition = reader.GetMethodDefinition((MethodDefinitionHandle)method);
            string bare = reader.GetString(definition.Name);
            return assembly.Names.Type(definition.GetDeclaringType()) + "." + bare;
        }

        MemberReference reference = reader.GetMemberReference((MemberReferenceHandle)method);
        string parent = reference.Parent.Kind == HandleKind.TypeSpecification
            ? reader.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).DecodeSignature(assembly.Shapes, context).Name
            : assembly.Names.TypeDefOrRef((EntityHandle)reference.Parent);
        return parent + "." + reader.GetString(reference.Name);
    }

    private static string OpCodeName(ILOpCode opCode) => opCode.ToString().ToLowerInvariant().Replace('_', '.');
}
