namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Power-up configuration of a 128x64 SSD1306 module with the internal charge pump
    /// (docs/display.md, controller command reference: SSD1306 datasheet and charge-pump application note): 26 bytes.
    /// </summary>
    public static class Ssd1306InitSequence
    {
        public const int Length = 26;

        public static int Write(byte[] buffer, int offset, int contrast, bool inverted, bool displayOn)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            int o = offset;
            o = SetDisplayOnOff.Write(buffer, o, false);                               // AE    sleep while configuring
            o = SetDisplayClockDivide.Write(buffer, o, 1, 8);                          // D5 80 divide 1, oscillator 8
            o = SetMultiplexRatio.Write(buffer, o, 64);                                // A8 3F 64 COM lines
            o = SetDisplayOffset.Write(buffer, o, 0);                                  // D3 00
            o = SetDisplayStartLine.Write(buffer, o, 0);                               // 40
            o = SetChargePump.Write(buffer, o, true);                                  // 8D 14 internal pump
            o = SetMemoryAddressingMode.Write(buffer, o, MemoryAddressingMode.Horizontal); // 20 00 windows wrap by page
            o = SetSegmentRemap.Write(buffer, o, true);                                // A1    column 127 = SEG0
            o = SetComScanDirection.Write(buffer, o, true);                            // C8    scan COM63..COM0
            o = SetComPins.Write(buffer, o, true, false);                              // DA 12 alternative pins, 128x64
            o = SetContrast.Write(buffer, o, contrast);                                // 81 xx
            o = SetPrechargePeriod.Write(buffer, o, 1, 15);                            // D9 F1 suits the internal pump
            o = SetVcomhDeselect.Write(buffer, o, 4);                                  // DB 40
            o = EntireDisplayOn.Write(buffer, o, false);                               // A4    show RAM
            o = SetInverseDisplay.Write(buffer, o, inverted);                          // A6/A7
            o = DeactivateScroll.Write(buffer, o);                                     // 2E
            o = SetDisplayOnOff.Write(buffer, o, displayOn);                           // AF/AE
            return o;
        }
    }
}
