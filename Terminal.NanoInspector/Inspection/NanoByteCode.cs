using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// The size of the ByteCode table the MetadataProcessor writes into an assembly's .pe, computed from the IL.
/// A method's offset in that table (its RVA) is a 16-bit number in the nanoFramework 1.x format, so the table
/// must stay under 65,536 bytes; the MetadataProcessor refuses a bigger assembly ("Byte code table overflow").
/// The encoding follows metadata-processor v3.0.100 (CodeWriter.WriteOperand, WriteExceptionsTable;
/// nanoByteCodeTable): opcodes keep their one or two bytes; method, field, type and string tokens and long branch
/// offsets shrink from 4 bytes to 2; a switch has a one-byte count and 2-byte targets; <c>ldtoken</c> keeps
/// 4 bytes; the signature of <c>calli</c> is dropped; a body with exception handlers ends with 12 bytes per
/// handler and a one-byte count. Methods without a body (abstract, extern, interface) take no bytes, and the types
/// the MetadataProcessor leaves out of the .pe are not counted.
/// </summary>
internal static class NanoByteCode
{
    /// <summary>Left out of every .pe (nanoTablesContext.SetDefaultTypesToExclude), matched by full or simple name.</summary>
    private static readonly string[] ExcludedTypes =
    [
        "ThisAssembly",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
    ];

    private const string ExcludeTypeAttribute = "System.Runtime.CompilerServices.ExcludeTypeAttribute";

    private const int HandlerBytes = 12; // kind, catch type or filter, try start, try end, handler start, handler end: 2 bytes each

    /// <summary>Bytes of nano byte code of every method with a body, in metadata order.</summary>
    public static IEnumerable<(MethodDefinitionHandle Method, int Bytes)> Methods(MetadataReader reader, Func<int, MethodBodyBlock> bodyAt)
    {
        HashSet<TypeDefinitionHandle> excluded = Excluded(reader);
        foreach (TypeDefinitionHandle type in reader.TypeDefinitions)
        {
            if (excluded.Contains(type) || IsModuleType(reader, type))
            {
                continue;
            }

            foreach (MethodDefinitionHandle method in reader.GetTypeDefinition(type).GetMethods())
            {
                int rva = reader.GetMethodDefinition(method).RelativeVirtualAddress;
                if (rva != 0)
                {
                    yield return (method, MethodBytes(bodyAt(rva)));
                }
            }
        }
    }

    /// <summary>Bytes one method body takes in the ByteCode table.</summary>
    public static int MethodBytes(MethodBodyBlock body)
    {
        BlobReader il = body.GetILReader();
        int bytes = 0;
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            ushort value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il.ReadByte());
            }

            OperandType operand = ILScanner.OperandOf(value, offset);
            int ilOperand = ILOperandBytes(operand, ref il);
            bytes += il.Offset - offset - ilOperand + NanoOperandBytes(operand, ilOperand);
        }

        int handlers = body.ExceptionRegions.Length;
        return handlers == 0 ? bytes : bytes + handlers * HandlerBytes + 1;
    }

    /// <summary>Skips the IL operand and returns its size.</summary>
    private static int ILOperandBytes(OperandType operand, ref BlobReader il)
    {
        int size = operand switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => 4 + 4 * il.ReadInt32(),
            _ => 4,
        };
        il.Offset += operand == OperandType.InlineSwitch ? size - 4 : size;
        return size;
    }

    private static int NanoOperandBytes(OperandType operand, int ilBytes) => operand switch
    {
        OperandType.InlineSwitch => 1 + 2 * ((ilBytes - 4) / 4),
        OperandType.InlineBrTarget or OperandType.InlineMethod or OperandType.InlineField
            or OperandType.InlineType or OperandType.InlineString => 2,
        OperandType.InlineSig => 0,
        _ => ilBytes, // short forms, local and argument numbers, constants, ldtoken's 4-byte token
    };

    private static bool IsModuleType(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        return type.GetDeclaringType().IsNil && type.Namespace.IsNil && reader.StringComparer.Equals(type.Name, "<Module>");
    }

    /// <summary>The excluded types and the types nested in them.</summary>
    private static HashSet<TypeDefinitionHandle> Excluded(MetadataReader reader)
    {
        var names = new MetadataNames(reader);
        var excluded = new HashSet<TypeDefinitionHandle>();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string name = reader.GetString(type.Name);
            if (ExcludedTypes.Contains(names.Type(handle)) || ExcludedTypes.Contains(name) || HasExcludeTypeAttribute(reader, names, type))
            {
                excluded.Add(handle);
            }
        }

        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinitionHandle declaring = reader.GetTypeDefinition(handle).GetDeclaringType();
            if (!declaring.IsNil && excluded.Contains(declaring))
            {
                excluded.Add(handle);
            }
        }

        return excluded;
    }

    private static bool HasExcludeTypeAttribute(MetadataReader reader, MetadataNames names, TypeDefinition type)
    {
        foreach (CustomAttributeHandle handle in type.GetCustomAttributes())
        {
            EntityHandle constructor = reader.GetCustomAttribute(handle).Constructor;
            EntityHandle owner = constructor.Kind == HandleKind.MemberReference
                ? reader.GetMemberReference((MemberReferenceHandle)constructor).Parent
                : reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType();
            if ((owner.Kind == HandleKind.TypeReference || owner.Kind == HandleKind.TypeDefinition) && names.TypeDefOrRef(owner) == ExcludeTypeAttribute)
            {
                return true;
            }
        }

        return false;
    }
}
