using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// One IL instruction: its opcode, for token operands the metadata entity it names, and for the integer
/// operands of <c>ldc.i4.s</c> and <c>ldc.i4</c> their value (see <see cref="ILScanner.Int32Constant"/>).
/// </summary>
internal readonly record struct ILInstruction(int Offset, ILOpCode OpCode, EntityHandle Token, int Immediate = 0);

/// <summary>
/// Walks the instructions of a method body (ECMA-335 partition III). Operand sizes come from
/// <see cref="OpCodes"/>, so every opcode the runtime knows is decoded correctly.
/// </summary>
internal static class ILScanner
{
    private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => unchecked((ushort)op.Value), op => op.OperandType);

    public static IEnumerable<ILInstruction> Read(MethodBodyBlock body)
    {
        BlobReader il = body.GetILReader();
        var instructions = new List<ILInstruction>();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            ushort value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il.ReadByte());
            }

            OperandType operand = OperandOf(value, offset);

            EntityHandle token = default;
            int immediate = 0;
            switch (operand)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineSig:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    token = MetadataTokens.EntityHandle(il.ReadInt32());
                    break;
                case OperandType.ShortInlineI:
                    immediate = il.ReadSByte();
                    break;
                case OperandType.InlineI:
                    immediate = il.ReadInt32();
                    break;
                case OperandType.InlineSwitch:
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                default:
                    il.Offset += OperandSize(operand);
                    break;
            }

            instructions.Add(new ILInstruction(offset, (ILOpCode)value, token, immediate));
        }

        return instructions;
    }

    /// <summary>The operand kind of the opcode <paramref name="value"/> (two-byte opcodes as 0xFExx).</summary>
    /// <exception cref="BadImageFormatException">No such opcode.</exception>
    public static OperandType OperandOf(ushort value, int offset) =>
        OperandTypes.TryGetValue(value, out OperandType operand)
            ? operand
            : throw new BadImageFormatException($"unknown IL opcode 0x{value:X} at IL offset {offset}");

    /// <summary>The value an <c>ldc.i4</c> form pushes, or null when the instruction is not one.</summary>
    public static int? Int32Constant(ILInstruction instruction) => instruction.OpCode switch
    {
        ILOpCode.Ldc_i4_m1 => -1,
        >= ILOpCode.Ldc_i4_0 and <= ILOpCode.Ldc_i4_8 => instruction.OpCode - ILOpCode.Ldc_i4_0,
        ILOpCode.Ldc_i4_s or ILOpCode.Ldc_i4 => instruction.Immediate,
        _ => null,
    };

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4, // InlineBrTarget, InlineI, InlineString, ShortInlineR
    };
}
