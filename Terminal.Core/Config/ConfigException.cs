namespace Terminal.Core.Config
{
    /// <summary>
    /// The configuration file is unusable: names the property (or "(file)" for the JSON as a whole) so that the
    /// terminal can show it at boot. Messages never contain secret values.
    /// </summary>
    public class ConfigException : System.Exception
    {
        public ConfigException(string property, string problem)
            : base(property + ": " + problem)
        {
            Property = property;
            Problem = problem;
        }

        /// <summary>The property name as written in the file.</summary>
        public string Property { get; private set; }

        /// <summary>What is wrong, without the property name.</summary>
        public string Problem { get; private set; }
    }
}
