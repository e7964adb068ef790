namespace Terminal.Core.Config
{
    /// <summary>
    /// What a configuration key holds and how it is checked (docs/configuration.md). <see cref="ConfigRule.Min"/>
    /// and <see cref="ConfigRule.Max"/> bound the length of texts and the value of numbers.
    /// </summary>
    public enum ConfigKind
    {
        /// <summary>A string of Min..Max characters without control characters.</summary>
        Text = 0,

        /// <summary>Text of letters and digits only (A-Z, a-z, 0-9).</summary>
        Identifier = 1,

        /// <summary>An ISO 4217 code of three upper-case letters that the terminal can format.</summary>
        Currency = 2,

        /// <summary>One of <see cref="ConfigRule.Choices"/>.</summary>
        Choice = 3,

        /// <summary>A whole number in Min..Max, written as a number or as a string of digits.</summary>
        Integer = 4,

        /// <summary>An ESP32 GPIO driven by the terminal: 0..33, never the SPI flash pins 6..11.</summary>
        OutputPin = 5,

        /// <summary>An ESP32 GPIO read by the terminal: 0..39, never the SPI flash pins 6..11.</summary>
        InputPin = 6,

        /// <summary>An http(s) URL of Min..Max characters naming a host; a trailing slash is dropped.</summary>
        Url = 7,

        /// <summary>A 32-byte key as 44 characters of standard base64; never shown.</summary>
        Key = 8,

        /// <summary>An array of 1..16 whole numbers, each in Min..Max (milliseconds).</summary>
        Schedule = 9,

        /// <summary>
        /// A PIN's salted hash, <c>pbkdf2-sha256$&lt;iterations 1..1000000&gt;$&lt;salt: 32 hex digits&gt;$&lt;hash: 64 hex
        /// digits&gt;</c>; never shown. Read as text of Min..Max characters; its section checks the form as the PIN vault reads
        /// it (Terminal.Countertop MenuSection), and the rules table names the kind so that tools check it before the device.
        /// </summary>
        PinHash = 10,
    }
}
