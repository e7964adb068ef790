using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Decodes signature blobs (fields, methods, locals, type specifications) into <see cref="TypeShape"/>s,
/// so that each rule only asks "does this type contain a generic instance / an md array / a pointer".
/// </summary>
internal sealed class TypeShapeProvider(MetadataReader reader, MetadataNames names)
    : ISignatureTypeProvider<TypeShape, GenericContext>
{
    public TypeShape GetPrimitiveType(PrimitiveTypeCode typeCode) => new(typeCode switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        PrimitiveTypeCode.TypedReference => "TypedReference",
        _ => typeCode.ToString(),
    }, TypeTraits.None);

    public TypeShape GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind)
    {
        // The definition itself may be generic (an open Box<T> used as a type); its own rule reports that.
        return new TypeShape(names.Type(handle), TypeTraits.None);
    }

    public TypeShape GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind)
    {
        return new TypeShape(names.Type(handle), TypeTraits.None);
    }

    public TypeShape GetTypeFromSpecification(
        MetadataReader r, GenericContext context, TypeSpecificationHandle handle, byte rawTypeKind)
    {
        return reader.GetTypeSpecification(handle).DecodeSignature(this, context);
    }

    public TypeShape GetGenericInstantiation(TypeShape genericType, ImmutableArray<TypeShape> typeArguments)
    {
        int tick = genericType.Name.IndexOf('`');
        string bare = tick >= 0 ? genericType.Name[..tick] : genericType.Name;
        int angle = bare.IndexOf('<');
        bare = angle >= 0 ? bare[..angle] : bare;
        string name = bare + "<" + string.Join(",", typeArguments.Select(a => a.Name)) + ">";
        return new TypeShape(name, Union(typeArguments) | genericType.Traits | TypeTraits.GenericInstance);
    }

    public TypeShape GetArrayType(TypeShape elementType, ArrayShape shape)
    {
        string rank = new(',', Math.Max(shape.Rank - 1, 0));
        return new TypeShape(elementType.Name + "[" + rank + "]", elementType.Traits | TypeTraits.MultidimensionalArray);
    }

    public TypeShape GetSZArrayType(TypeShape elementType) => elementType with { Name = elementType.Name + "[]" };

    public TypeShape GetByReferenceType(TypeShape elementType) => elementType with { Name = "ref " + elementType.Name };

    public TypeShape GetPointerType(TypeShape elementType)
    {
        return new TypeShape(elementType.Name + "*", elementType.Traits | TypeTraits.Pointer);
    }

    public TypeShape GetPinnedType(TypeShape elementType)
    {
        return new TypeShape("pinned " + elementType.Name, elementType.Traits | TypeTraits.Pinned);
    }

    public TypeShape GetFunctionPointerType(MethodSignature<TypeShape> signature)
    {
        IEnumerable<TypeShape> all = signature.ParameterTypes.Append(signature.ReturnType);
        string name = "delegate*<" + string.Join(",", all.Select(t => t.Name)) + ">";
        return new TypeShape(name, Union(all) | TypeTraits.FunctionPointer);
    }

    public TypeShape GetGenericMethodParameter(GenericContext context, int index)
    {
        string name = context.Method.IsNil
            ? "!!" + index
            : names.GenericParameterName(reader.GetMethodDefinition(context.Method).GetGenericParameters(), index);
        return new TypeShape(name, TypeTraits.GenericParameter);
    }

    public TypeShape GetGenericTypeParameter(GenericContext context, int index)
    {
        string name = context.Type.IsNil
            ? "!" + index
            : names.GenericParameterName(reader.GetTypeDefinition(context.Type).GetGenericParameters(), index);
        return new TypeShape(name, TypeTraits.GenericParameter);
    }

    public TypeShape GetModifiedType(TypeShape modifier, TypeShape unmodifiedType, bool isRequired) => unmodifiedType;

    private static TypeTraits Union(IEnumerable<TypeShape> shapes)
    {
        TypeTraits traits = TypeTraits.None;
        foreach (TypeShape shape in shapes)
        {
            traits |= shape.Traits;
        }

        return traits;
    }
}
