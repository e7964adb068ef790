namespace Terminal.Updates.Staging
{
    /// <summary>The versions of the flashed assemblies (runtime libraries, the loader) a bundle may require.</summary>
    public interface IFlashedVersions
    {
        /// <summary>The version of <paramref name="assembly"/> on this device, or null when it is not there.</summary>
        string VersionOf(string assembly);
    }
}
