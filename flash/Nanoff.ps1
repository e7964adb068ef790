# nanoff (nanoFramework's firmware flasher, a .NET tool) as flash.ps1 uses it: its errors in plain language, the
# serial ports it sees, and what it prints about the chip (ESP32 bootloader) and the running firmware (nanoCLR).

# nanoff prints "Error E4005: ..." and exits with 4005 (nanoFirmwareFlasher ExitCodes.cs). Windows keeps the full
# exit code; Linux and macOS keep only its low 8 bits (4005 -> 165), which is still unique among the codes an ESP32
# run can produce.
$NanoffErrors = @{
    2000 = @('could not connect to the nanoFramework device on {port}', 'press the board''s EN/RESET button, close other programs using the port, and retry; if the firmware was never flashed, run without -SkipFirmware')
    2001 = @('listing the nanoFramework devices failed', 'unplug and replug the board, then retry')
    2002 = @('an operation on the nanoFramework device on {port} failed', 'press EN/RESET and retry; if it repeats, run again with -MassErase and without -SkipFirmware (erases the whole flash, then flashes and provisions it again)')
    2003 = @('writing files to the device storage (I:) failed', 'press EN/RESET and retry (a batch resumes this step by itself, with a new key); if it repeats, run again with -MassErase and without -SkipFirmware: the whole flash is erased, then the firmware, the configuration and the application are written again')
    4000 = @('a serial command to the ESP32 bootloader failed', 'hold the BOOT button while flashing starts, use a data USB cable (not charge-only) and a port on the PC itself, then retry')
    4001 = @('the ESP32 flash size is not supported', 'use a module with 4 MB flash or more (ESP32-WROOM-32E-N4 / WROVER-E); check the module marking')
    4002 = @('erasing the ESP32 flash failed', 'hold BOOT while flashing starts and power the board from a port that gives 500 mA; retry')
    4003 = @('writing the firmware to the ESP32 failed', 'hold BOOT while flashing starts, use a short data USB cable, retry')
    4004 = @('reading the ESP32 flash failed', 'hold BOOT while flashing starts, retry')
    4005 = @('the serial port {port} could not be opened', 'close other programs using {port} (serial monitor, Visual Studio device explorer, another flash.ps1) and check the port name')
    6000 = @('the serial device {port} could not be opened', 'check the port name, the USB driver (CP210x or CH340) and that no other program uses the port')
    6001 = @('nanoff needs a serial port', 'give -Port (this is a bug in flash.ps1 if you did)')
    6002 = @('the serial port {port} is used by another program', 'close the other program (serial monitor, IDE, another flash.ps1) and retry')
    9000 = @('nanoff rejected its arguments', 'update nanoff (dotnet tool update -g nanoff); the command is in the log')
    9005 = @('the firmware target {target} does not exist', 'check -Target (list them with: nanoff --listtargets --platform esp32)')
    9006 = @('nanoff could not create a folder for the firmware download', 'check free disk space and the permissions of the temp folder')
    9007 = @('downloading the firmware failed', 'check the internet connection or proxy of this PC and retry')
    9008 = @('the application image {image} was not found', 'build it with -p:Device=true or give the right -Image')
    9009 = @('nanoff could not get a valid deployment address from the device', 'flash the firmware again (without -SkipFirmware), then deploy; flash.ps1 never uses a default address')
    9010 = @('no device was found on {port}', 'check the cable and the port, press EN/RESET, and retry')
}

# Exit codes of a process ended by Ctrl+C: 130 (128 + SIGINT) on Linux and macOS, STATUS_CONTROL_C_EXIT on Windows.
$InterruptedExitCodes = 130, -1073741510, 3221225786

function Resolve-NanoffError([int] $ExitCode, [string] $Output, [hashtable] $Context) {
    $code = $null
    foreach ($found in [regex]::Matches($Output, '\bE(\d{4})\b')) {
        if ($NanoffErrors.Contains([int] $found.Groups[1].Value)) { $code = [int] $found.Groups[1].Value; break }
    }
    if ($null -eq $code -and $NanoffErrors.Contains($ExitCode)) { $code = $ExitCode }
    if ($null -eq $code) {
        foreach ($candidate in $NanoffErrors.Keys) {
            if (($candidate -band 0xFF) -eq $ExitCode) { $code = $candidate; break }
        }
    }
    if ($null -eq $code) { return "nanoff failed with exit code $ExitCode; see the log for its output" }

    $what, $todo = $NanoffErrors[$code]
    foreach ($key in $Context.Keys) {
        $what = $what.Replace("{$key}", [string] $Context[$key])
        $todo = $todo.Replace("{$key}", [string] $Context[$key])
    }
    return "nanoff E${code}: $what. What to do: $todo."
}

# Runs nanoff with arguments that never hold a secret; returns its output, or stops the step.
function Invoke-Nanoff([string] $Step, [string[]] $Arguments, [hashtable] $Context) {
    Write-Log ("> nanoff " + ($Arguments -join ' '))
    $output = & nanoff @Arguments 2>&1 | ForEach-Object { "$_" }
    $exitCode = $LASTEXITCODE
    foreach ($line in $output) {
        Write-Log "  $line"
        Write-Verbose (Protect-Text $line)
    }
    if ($exitCode -in $InterruptedExitCodes) { Stop-Interrupted $Step }
    if ($exitCode -ne 0) { Stop-Step $Step (Resolve-NanoffError $exitCode ($output -join "`n") $Context) }
    return ($output -join [Environment]::NewLine)
}

# The serial ports nanoff sees.
function Get-SerialPorts([string] $Step) {
    $listing = Invoke-Nanoff $Step @('--listports') @{ port = '' }
    return @($listing -split '\r?\n' | ForEach-Object { $_.Trim() } | Where-Object { $_ -match '^(COM\d+|/dev/\S+)$' })
}

function Test-SamePort([string] $A, [string] $B) {
    $comparison = if ($IsWindows) { [StringComparer]::OrdinalIgnoreCase } else { [StringComparer]::Ordinal }
    return $comparison.Equals($A, $B)
}

function Test-PortListed([string[]] $Ports, [string] $Port) {
    return [bool] ($Ports | Where-Object { Test-SamePort $_ $Port })
}

# What nanoff prints about the chip through the ESP32 bootloader (nanoff --platform esp32 --devicedetails; also at
# the start of --update): "Connected to:", the chip line, "Flash size 8MB ...", "PSRAM: 8MB|not available|undetermined",
# "MAC AA:BB:...". FlashMB is 0 when no flash size was printed.
function ConvertFrom-ChipDetails([string] $Output) {
    $mac = [regex]::Match($Output, '(?m)^\s*MAC\s+((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})\s*$')
    $psram = [regex]::Match($Output, '(?m)^\s*PSRAM:\s*(.+?)\s*$')
    $chip = [regex]::Match($Output, '(?m)^\s*Connected to:\s*\r?\n\s*(.+?)\s*$')
    $flash = [regex]::Match($Output, '(?m)^\s*Flash size\s+(\d+)\s*MB\b')
    $psramText = if ($psram.Success) { $psram.Groups[1].Value } else { 'undetermined' }
    return [pscustomobject]@{
        Mac   = if ($mac.Success) { $mac.Groups[1].Value.ToUpperInvariant() } else { '' }
        Chip  = if ($chip.Success) { $chip.Groups[1].Value } else { '' }
        Psram = if ($psramText -match '^\d+\s*MB$') { 'yes' } elseif ($psramText -match 'not available') { 'no' } else { 'undetermined' }
        PsramText = $psramText
        FlashMB = if ($flash.Success) { [int] $flash.Groups[1].Value } else { 0 }
    }
}

# Writes files to the device storage (nanoff --filedeployment): nanoff exits 0 even when a file was refused (it prints
# "Error deploying content file ..." and goes on; nanoFirmwareFlasher FileDeploymentManager.cs), so its output decides.
function Invoke-FileDeployment([string] $Step, [string] $DeployFile, [hashtable] $Context) {
    $output = Invoke-Nanoff $Step @('--filedeployment', $DeployFile) $Context
    $refused = @($output -split '\r?\n' | Where-Object { $_ -match '^\s*(Error|Exception) deploying content file (.+?) to (.+?)\s*$' } | ForEach-Object { $Matches[3] })
    if ($refused.Count -gt 0) {
        Stop-Step $Step "nanoff E2003: the device refused $($refused.Count) file(s) on I: ($($refused -join ', ')). What to do: press EN/RESET and retry; if it repeats, run again with -MassErase and without -SkipFirmware (the flash may be full or its file system damaged)."
    }
}

# The firmware target the running nanoCLR reports (nanoff --nanodevice --devicedetails: "  Target:   ESP32_REV3").
function ConvertFrom-DeviceTarget([string] $Output) {
    $target = [regex]::Match($Output, '(?m)^\s*Target:\s*(\S+)\s*$')
    if ($target.Success) { return $target.Groups[1].Value }
    return ''
}
