using System;

namespace Terminal.Updates.Manifest
{
    /// <summary>A manifest that is not well formed or not acceptable; the message names the field and why.</summary>
    public class ManifestException : Exception
    {
        public ManifestException(string message)
            : base(message)
        {
        }
    }
}
