namespace Terminal.Core.Json
{
    /// <summary>What <see cref="JsonReader.Read"/> stopped on. Same order as System.Text.Json's (which adds Comment); range checks rely on it, so do not re-order.</summary>
    public enum JsonTokenType : byte
    {
        None = 0,
        StartObject = 1,
        EndObject = 2,
        StartArray = 3,
        EndArray = 4,
        PropertyName = 5,
        String = 6,
        Number = 7,
        True = 8,
        False = 9,
        Null = 10,
    }
}
