namespace Terminal.Countertop.Keys
{
    /// <summary>
    /// The keys' meanings, the same on both membranes so that a cashier who learnt one knows the other:
    /// <code>
    /// 4x4   0-9 digits   A or # OK   B or * back   C cancel   D menu
    /// 3x4   0-9 digits   # OK        * back (with nothing typed: the menu; during a sale: cancel)
    /// </code>
    /// </summary>
    public static class KeyMap
    {
        public static KeyAction Classify(char key)
        {
            if (key >= '0' && key <= '9')
            {
                return KeyAction.Digit;
            }

            switch (key)
            {
                case 'A':
                case '#':
                    return KeyAction.Ok;
                case 'B':
                case '*':
                    return KeyAction.Back;
                case 'C':
                    return KeyAction.Cancel;
                case 'D':
                    return KeyAction.Menu;
                default:
                    return KeyAction.None;
            }
        }
    }
}
