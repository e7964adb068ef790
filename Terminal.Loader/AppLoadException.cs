using System;

namespace Terminal.Loader
{
    /// <summary>An application version could not be loaded or started; the message says which part failed.</summary>
    public class AppLoadException : Exception
    {
        public AppLoadException(string message)
            : base(message)
        {
        }
    }
}
