using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO006: P/Invoke (ImplMap rows, pinvokeimpl methods, module references). nanoFramework cannot load
/// native libraries; native code is reached only through interop assemblies built into the firmware.
/// </summary>
internal sealed class PInvokeRule : INanoRule
{
    private const string Why = "nanoFramework cannot call native libraries; native code is reached only " +
        "through the firmware's own interop assemblies, behind a port in the device bindings";

    public string Id => "NANO006";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        var usedModules = new HashSet<ModuleReferenceHandle>();
        foreach (MethodDefinitionHandle handle in reader.MethodDefinitions)
        {
            MethodDefinition method = reader.GetMethodDefinition(handle);
            MethodImport import = method.GetImport();
            if ((method.Attributes & MethodAttributes.PinvokeImpl) == 0 && import.Module.IsNil)
            {
                continue;
            }

            string module = import.Module.IsNil ? "?" : reader.GetString(reader.GetModuleReference(import.Module).Name);
            if (!import.Module.IsNil)
            {
                usedModules.Add(import.Module);
            }

            var site = new CodeSite(method.GetDeclaringType(), handle);
            yield return assembly.Report(Id, site, $"is a P/Invoke into '{module}' (DllImport); {Why}");
        }

        for (int row = 1; row <= reader.GetTableRowCount(TableIndex.ModuleRef); row++)
        {
            ModuleReferenceHandle handle = MetadataTokens.ModuleReferenceHandle(row);
            if (!usedModules.Contains(handle))
            {
                string module = reader.GetString(reader.GetModuleReference(handle).Name);
                yield return assembly.Report(Id, CodeSite.Assembly, $"references the native module '{module}'; {Why}");
            }
        }
    }
}
