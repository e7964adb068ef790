using System;
using System.Reflection;

namespace Terminal.Loader
{
    /// <summary>
    /// Loads an application version's assemblies from their .pe bytes, dependencies first, and calls its entry
    /// point by name. The loader references none of the application's assemblies: everything it starts is found
    /// by reflection, so an update can replace all of them.
    /// </summary>
    public static class AppLoader
    {
        /// <summary>
        /// Loads <paramref name="fileNames"/> (".pe" files, dependencies first) of <paramref name="version"/> and
        /// returns the last one, the assembly that holds the entry point. Throws <see cref="AppLoadException"/>
        /// naming the file that is missing or that the runtime refused.
        /// </summary>
        public static Assembly LoadAll(IAppFiles files, string version, string[] fileNames)
        {
            Assembly last = null;
            for (int i = 0; i < fileNames.Length; i++)
            {
                byte[] image = files.ReadAll(version, fileNames[i]);
                if (image == null)
                {
                    throw new AppLoadException("missing file " + fileNames[i]);
                }

                last = Assembly.Load(image);
                if (last == null)
                {
                    throw new AppLoadException("the runtime refused " + fileNames[i]);
                }
            }

            if (last == null)
            {
                throw new AppLoadException("no files");
            }

            return last;
        }

        /// <summary>
        /// Calls the public static parameterless <paramref name="entryMethod"/> of <paramref name="entryType"/> in
        /// <paramref name="assembly"/>; throws <see cref="AppLoadException"/> when either is not there.
        /// </summary>
        public static void Invoke(Assembly assembly, string entryType, string entryMethod)
        {
            Type type = assembly.GetType(entryType);
            if (type == null)
            {
                throw new AppLoadException("no type " + entryType);
            }

            MethodInfo method = type.GetMethod(entryMethod);
            if (method == null || !method.IsStatic)
            {
                throw new AppLoadException("no static method " + entryType + "." + entryMethod);
            }

            method.Invoke(null, null);
        }
    }
}
