using System;

namespace Terminal.Core.Money
{
    /// <summary>An amount typed as text is not acceptable; the message says why in plain words.</summary>
    public class AmountFormatException : FormatException
    {
        public AmountFormatException(string message)
            : base(message)
        {
        }
    }
}
