using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text.Json;
using Terminal.Updates.Manifest;

namespace Terminal.Bundler;

/// <summary>
/// Builds a bundle folder: each assembly's .pe copied, and manifest.json in <see cref="UpdateManifest"/>'s format.
/// The flashed assemblies the bundle requires are read from the compiled .dll beside each .pe (the nanoFramework build
/// and the MetadataProcessor leave both): every assembly reference that is not itself in the bundle, at the version
/// it was compiled against. The manifest written is parsed back with the device's parser before it is kept.
/// </summary>
public static class BundleBuilder
{
    public const string ManifestFileName = "manifest.json";

    /// <summary>Writes the bundle of <paramref name="assemblies"/> (load order, dependencies first) into
    /// <paramref name="outDirectory"/> and returns the manifest's bytes.</summary>
    public static byte[] Build(string peDirectory, IReadOnlyList<string> assemblies, string version, string entry, string outDirectory)
    {
        if (!AppVersion.IsValid(version)) throw new BundleException($"version '{version}': not 1 to 4 numbers 0..65535 separated by dots");
        if (assemblies.Count == 0) throw new BundleException("no assemblies");
        var inBundle = new HashSet<string>(assemblies, StringComparer.OrdinalIgnoreCase);
        if (inBundle.Count != assemblies.Count) throw new BundleException("an assembly is named twice");

        var requires = new SortedDictionary<string, Version>(StringComparer.Ordinal);
        var files = new List<(string Name, byte[] Bytes)>();
        foreach (string assembly in assemblies)
        {
            string pe = Path.Combine(peDirectory, assembly + ".pe");
            string dll = Path.Combine(peDirectory, assembly + ".dll");
            if (!File.Exists(pe)) throw new BundleException($"no {pe}");
            if (!File.Exists(dll)) throw new BundleException($"no {dll} beside the .pe (its references say which flashed assemblies the bundle needs)");
            files.Add((assembly + ".pe", File.ReadAllBytes(pe)));
            foreach (var (name, referenced) in References(dll))
            {
                if (inBundle.Contains(name)) continue;
                if (requires.TryGetValue(name, out Version? seen) && seen != referenced)
                    throw new BundleException($"{name} is referenced at {seen} and at {referenced}");
                requires[name] = referenced;
            }
        }

        byte[] manifest = Manifest(version, entry, requires, files);
        try
        {
            UpdateManifest parsed = UpdateManifest.Parse(manifest, 0, manifest.Length);
            if (parsed.FileCount != files.Count) throw new BundleException("the manifest lost files");
        }
        catch (ManifestException e)
        {
            throw new BundleException("the device would refuse this manifest: " + e.Message);
        }

        Directory.CreateDirectory(outDirectory);
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(outDirectory, name), bytes);
        File.WriteAllBytes(Path.Combine(outDirectory, ManifestFileName), manifest);
        return manifest;
    }

    private static IEnumerable<(string Name, Version Version)> References(string dll)
    {
        using var stream = File.OpenRead(dll);
        using var reader = new PEReader(stream);
        if (!reader.HasMetadata) throw new BundleException($"{dll} is not a .NET assembly");
        MetadataReader metadata = reader.GetMetadataReader();
        var list = new List<(string, Version)>();
        foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
        {
            AssemblyReference reference = metadata.GetAssemblyReference(handle);
            list.Add((metadata.GetString(reference.Name), reference.Version));
        }

        return list;
    }

    private static byte[] Manifest(string version, string entry, SortedDictionary<string, Version> requires, List<(string Name, byte[] Bytes)> files)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("format", UpdateManifest.Format);
            json.WriteString("version", version);
            json.WriteString("entry", entry);
            json.WriteStartArray("requires");
            foreach (var (name, referenced) in requires)
            {
                json.WriteStartObject();
                json.WriteString("assembly", name);
                json.WriteString("version", referenced.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (var (name, bytes) in files)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteNumber("size", bytes.Length);
                json.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

/// <summary>The bundle cannot be made; the message says why.</summary>
public sealed class BundleException(string message) : Exception(message);
