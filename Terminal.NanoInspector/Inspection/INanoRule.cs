namespace Terminal.NanoInspector.Inspection;

/// <summary>One check of the nano build: reports every construct of one kind that the runtime cannot load.</summary>
internal interface INanoRule
{
    /// <summary>The code printed with each finding, e.g. NANO001.</summary>
    string Id { get; }

    IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options);
}
