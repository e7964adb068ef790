namespace Terminal.NanoInspector.Inspection;

/// <summary>What a decoded type signature contains, as far as the nano rules care.</summary>
[Flags]
internal enum TypeTraits
{
    None = 0,
    GenericInstance = 1,
    GenericParameter = 2,
    MultidimensionalArray = 4,
    Pointer = 8,
    FunctionPointer = 16,
    Pinned = 32,
}

/// <summary>A decoded type: its C#-like name and the traits of everything nested in it.</summary>
internal sealed record TypeShape(string Name, TypeTraits Traits)
{
    public bool Has(TypeTraits traits) => (Traits & traits) != 0;
}
