using System;
using System.Reflection;
using Terminal.Updates.Staging;

namespace Terminal.Esp32.Updates
{
    /// <summary>
    /// The versions of the flashed assemblies a bundle requires (mscorlib, nanoFramework's libraries,
    /// Terminal.Loader): the runtime loaded every assembly of the deployment partition at boot, and
    /// <c>Assembly.Load(name)</c> without a version returns the loaded one or throws ArgumentException
    /// (CoreLibrary 1.17.11 Assembly.cs).
    /// </summary>
    internal sealed class LoadedAssemblyVersions : IFlashedVersions
    {
        public string VersionOf(string assembly)
        {
            try
            {
                return Assembly.Load(assembly).GetName().Version.ToString();
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
