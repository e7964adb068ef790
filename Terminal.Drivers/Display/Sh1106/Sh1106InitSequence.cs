using Terminal.Drivers.Display.Ssd1306;

namespace Terminal.Drivers.Display.Sh1106
{
    /// <summary>
    /// Power-up configuration of a 128x64 SH1106 module (1.3" boards): the SSD1306 sequence without the
    /// commands the SH1106 lacks (charge pump 8Dh, addressing mode 20h, scroll 2Eh), with its own DC-DC
    /// and pump-voltage commands and the SH1106 datasheet's reset values for pre-charge (22h) and VCOM
    /// (35h): 24 bytes. Page addressing is the SH1106's only mode.
    /// </summary>
    public static class Sh1106InitSequence
    {
        public const int Length = 24;

        public static int Write(byte[] buffer, int offset, int contrast, bool inverted, bool displayOn)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            int o = offset;
            o = SetDisplayOnOff.Write(buffer, o, false);              // AE
            o = SetDisplayClockDivide.Write(buffer, o, 1, 8);         // D5 80
            o = SetMultiplexRatio.Write(buffer, o, 64);               // A8 3F
            o = SetDisplayOffset.Write(buffer, o, 0);                 // D3 00
            o = SetDisplayStartLine.Write(buffer, o, 0);              // 40
            o = SetDcDc.Write(buffer, o, true);                       // AD 8B DC-DC on
            o = SetPumpVoltage.Write(buffer, o, 2);                   // 32    8.0 V
            o = SetSegmentRemap.Write(buffer, o, true);               // A1
            o = SetComScanDirection.Write(buffer, o, true);           // C8
            o = SetComPins.Write(buffer, o, true, false);             // DA 12
            o = SetContrast.Write(buffer, o, contrast);               // 81 xx
            o = SetPrechargePeriod.Write(buffer, o, 2, 2);            // D9 22
            o = SetVcomDeselectLevel.Write(buffer, o, 0x35);          // DB 35
            o = EntireDisplayOn.Write(buffer, o, false);              // A4
            o = SetInverseDisplay.Write(buffer, o, inverted);         // A6/A7
            o = SetDisplayOnOff.Write(buffer, o, displayOn);          // AF/AE
            return o;
        }
    }
}
