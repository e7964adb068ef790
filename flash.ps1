#Requires -Version 7.0
<#
.SYNOPSIS
    Flashes, deploys and provisions ESP32 QR payment terminals (nanoFramework), one or a batch.

.DESCRIPTION
    For each device: checks that nanoff is installed and the serial port is present; flashes the
    nanoFramework firmware (nanoff --update); registers the device at the merchant gateway's admin API
    and receives its HMAC key (shown to nobody); writes the device configuration I:\terminal.json and the
    gateway CA certificate to the device storage (nanoff --filedeployment); deploys the application image
    (nanoff --nanodevice --deploy, which asks the device for its deployment address); verifies the device
    (nanoff --nanodevice --devicedetails) and, with -SelfTest, runs the self-test over the host link.

    Secrets (admin token, Wi-Fi password, device key) never appear on a command line, in the output or in
    the logs: pass them as SecureString (Read-Host -AsSecureString) or in the environment variables
    TERMINAL_ADMIN_TOKEN and TERMINAL_WIFI_PASSWORD. The configuration file that carries them exists only
    in a private temporary folder while nanoff copies it, and is deleted afterwards, also on failure.

    Batch mode (-DeviceCsv) handles one row per device (columns port,deviceId and optionally displayName,
    currency, board, target), keeps one log file per device and prints a summary table.
    See docs/flashing.md and hardware/README.md.

.EXAMPLE
    $token = Read-Host 'Admin token' -AsSecureString
    $wifi = Read-Host 'Wi-Fi password' -AsSecureString
    ./flash.ps1 -Port COM5 -DeviceId T0001 -DisplayName 'Counter 1' -Currency USD -Board wroom `
        -GatewayUrl https://gw.example.com:8443 -AdminToken $token -WifiSsid shop-wifi -WifiPassword $wifi `
        -CaCertificate ./gateway-ca.pem -Image ./Terminal.Esp32.bin

.EXAMPLE
    ./flash.ps1 -DeviceCsv ./devices.csv -Currency EUR -GatewayUrl https://gw.example.com -WifiSsid shop-wifi `
        -Image ./Terminal.Esp32.bin -WhatIf
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Single')]
param(
    # Serial port of the board: COM5 on Windows, /dev/ttyUSB0 on Linux, /dev/cu.usbserial-1410 on macOS.
    [Parameter(Mandatory, ParameterSetName = 'Single')]
    [ValidatePattern('^(COM[0-9]{1,3}|/dev/[A-Za-z0-9._/-]+)$')]
    [string] $Port,

    # The device's Client-Id at the gateway: letters and digits, at most 32.
    [Parameter(Mandatory, ParameterSetName = 'Single')]
    [ValidatePattern('^[A-Za-z0-9]{1,32}$')]
    [string] $DeviceId,

    # Shown on the idle screen.
    [Parameter(ParameterSetName = 'Single')]
    [ValidatePattern('^[^\x00-\x1F"\\]{0,32}$')]
    [string] $DisplayName,

    # CSV with one device per row: port,deviceId[,displayName][,currency][,board][,target].
    [Parameter(Mandatory, ParameterSetName = 'Batch')]
    [string] $DeviceCsv,

    # Board profile: wroom (ESP32-WROOM-32, no PSRAM) or wrover (ESP32-WROVER, PSRAM; GPIO16/17 unusable).
    [ValidateSet('wroom', 'wrover')]
    [string] $Board = 'wroom',

    # nanoFramework firmware target; default from the board profile (ESP32_REV3 / ESP32_PSRAM_REV3).
    [ValidatePattern('(?-i)^[A-Z0-9_]{3,40}$')]
    [string] $Target,

    # ISO 4217 code of the terminal's sales (required unless -SkipProvisioning; a CSV column overrides it).
    [ValidatePattern('(?-i)^[A-Z]{3}$')]
    [string] $Currency,

    # Display controller: the OLEDs ssd1306 (0.96" and 2.42" SSD1309) or sh1106 (1.3"), or the colour TFTs
    # st7789 (240x240 or 240x320) or ili9341 (320x240), wired as in hardware/README.md.
    [ValidateSet('ssd1306', 'sh1106', 'st7789', 'ili9341')]
    [string] $Display = 'ssd1306',

    # A TFT's panel as mounted: 240x240, 240x320 (portrait) or 320x240 (landscape); default: st7789 240x320,
    # ili9341 320x240. Only with -Display st7789 or ili9341.
    [ValidateSet('240x240', '240x320', '320x240')]
    [string] $DisplaySize,

    # The gateway's base URL as the device sees it (https; http only for localhost tests).
    [string] $GatewayUrl,

    # The gateway admin API base URL, if it differs from -GatewayUrl.
    [string] $AdminUrl,

    # Gateway admin token; default: environment variable TERMINAL_ADMIN_TOKEN.
    [securestring] $AdminToken,

    [ValidateLength(1, 32)]
    [string] $WifiSsid,

    # Wi-Fi password; default: environment variable TERMINAL_WIFI_PASSWORD.
    [securestring] $WifiPassword,

    # PEM file of the CA that signed the gateway's TLS certificate; written to I:\gateway-ca.pem.
    [string] $CaCertificate,

    # The application deployment image: `dotnet build Terminal.Esp32 -c Release -p:Device=true` writes it to
    # this default path (docs/device-build.md).
    [string] $Image = (Join-Path $PSScriptRoot 'Terminal.Esp32/bin/Release/Terminal.Esp32.bin'),

    # Erase the whole flash (including the configuration partition I:) before flashing the firmware.
    [switch] $MassErase,

    # The device is already registered: ask the gateway for a new key (rotate-key) instead of registering.
    [switch] $RotateKey,

    [switch] $SkipFirmware,
    [switch] $SkipApp,
    # Skip gateway registration and the configuration file.
    [switch] $SkipProvisioning,
    [switch] $SkipVerify,

    # After verifying, run the self-test over the host link (docs/host-link.md): sends "<id> SELFTEST" and
    # waits for "<id> OK SELFTEST <passed> <failed>". Needs -HostLinkPort.
    [switch] $SelfTest,
    # The PC's serial port wired to the terminal's host link UART (COM3: GPIO4 TX / GPIO5 RX, through a 3.3 V
    # USB-serial adapter). Not the board's own USB port: that is nanoFramework's debug port, not the host link.
    [string] $HostLinkPort,
    [ValidateRange(1200, 3000000)]
    [int] $HostLinkBaud = 115200,
    [ValidateRange(5, 3600)]
    [int] $SelfTestTimeoutSeconds = 120,

    # One log file per device is written here.
    [string] $LogDirectory = (Join-Path (Get-Location) 'flash-logs'),

    # Also return one result object per device.
    [switch] $PassThru
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# ---- Board profiles (pins as in docs/configuration.md and hardware/README.md) -------------------------

$BoardProfiles = @{
    wroom  = [ordered]@{ Target = 'ESP32_REV3'; ScannerTx = 17; ScannerRx = 16; I2cSda = 21; I2cScl = 22; HostLinkTx = 4; HostLinkRx = 5 }
    # WROVER: GPIO16/17 drive the PSRAM, so the scanner UART moves to GPIO27 (TX) / GPIO26 (RX).
    wrover = [ordered]@{ Target = 'ESP32_PSRAM_REV3'; ScannerTx = 27; ScannerRx = 26; I2cSda = 21; I2cScl = 22; HostLinkTx = 4; HostLinkRx = 5 }
}

# A colour TFT's pins, the same on both boards (SPI1 clock and data, chip select, D/CX, reset, backlight PWM).
$TftPins = [ordered]@{ spiSck = 18; spiMosi = 23; tftCs = 14; tftDc = 13; tftReset = 32; tftBacklight = 33 }

$ConfigDevicePath = 'I:\terminal.json'
$CaDevicePath = 'I:\gateway-ca.pem'

# ---- nanoff errors in plain language (nanoFirmwareFlasher ExitCodes.cs) --------------------------------
# nanoff prints "Error E4005: ..." and exits with 4005. Windows keeps the full exit code; Linux and macOS
# keep only its low 8 bits (4005 -> 165), which is still unique among the codes an ESP32 run can produce.

$NanoffErrors = @{
    2000 = @('could not connect to the nanoFramework device on {port}', 'press the board''s EN/RESET button, close other programs using the port, and retry; if the firmware was never flashed, run without -SkipFirmware')
    2001 = @('listing the nanoFramework devices failed', 'unplug and replug the board, then retry')
    2002 = @('an operation on the nanoFramework device on {port} failed', 'press EN/RESET and retry; if it repeats, flash again with -MassErase')
    2003 = @('writing files to the device storage (I:) failed', 'press EN/RESET and retry; if it repeats, flash again with -MassErase (this erases I:, the script writes it again)')
    4000 = @('a serial command to the ESP32 bootloader failed', 'hold the BOOT button while flashing starts, use a data USB cable (not charge-only) and a port on the PC itself, then retry')
    4001 = @('the ESP32 flash size is not supported', 'use a module with 4 MB flash or more (ESP32-WROOM-32 / WROVER-E); check the module marking')
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

# ---- Output, logs and secrets ---------------------------------------------------------------------------

$script:Secrets = [System.Collections.Generic.List[string]]::new()
$script:LogFile = $null

function Add-Secret([string] $Value) {
    if (-not [string]::IsNullOrEmpty($Value)) { $script:Secrets.Add($Value) }
}

# Defence in depth: nothing we print or log contains a secret, even if a tool or server echoed one.
function Protect-Text([string] $Text) {
    foreach ($secret in $script:Secrets) { $Text = $Text.Replace($secret, '***') }
    return $Text
}

function Write-Log([string] $Text) {
    if ($script:LogFile) {
        $line = '{0:yyyy-MM-dd HH:mm:ss} {1}' -f (Get-Date), (Protect-Text $Text)
        Add-Content -LiteralPath $script:LogFile -Value $line -Encoding utf8 -WhatIf:$false
    }
}

function Write-Step([string] $Text, [string] $Color = 'Cyan') {
    Write-Host (Protect-Text $Text) -ForegroundColor $Color
    Write-Log $Text
}

class FlashError : System.Exception {
    [string] $Step
    FlashError([string] $step, [string] $message) : base($message) { $this.Step = $step }
}

function Stop-Step([string] $Step, [string] $Message) {
    throw [FlashError]::new($Step, $Message)
}

function ConvertTo-PlainText([securestring] $Secure) {
    if ($null -eq $Secure) { return $null }
    return ConvertFrom-SecureString -SecureString $Secure -AsPlainText
}

# ---- nanoff ---------------------------------------------------------------------------------------------

function Resolve-NanoffError([int] $ExitCode, [string] $Output, [hashtable] $Context) {
    $code = $null
    foreach ($found in [regex]::Matches($Output, '\bE(\d{4})\b')) {
        if ($NanoffErrors.Contains([int] $found.Groups[1].Value)) { $code = [int] $found.Groups[1].Value; break }
    }

    if ($null -eq $code -and $NanoffErrors.Contains($ExitCode)) {
        $code = $ExitCode
    }

    if ($null -eq $code) {
        foreach ($candidate in $NanoffErrors.Keys) {
            if (($candidate -band 0xFF) -eq $ExitCode) { $code = $candidate; break }
        }
    }

    if ($null -eq $code) {
        return "nanoff failed with exit code $ExitCode; see the log for its output"
    }

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
    $text = ($output -join [Environment]::NewLine)
    foreach ($line in $output) {
        Write-Log "  $line"
        Write-Verbose (Protect-Text $line)
    }

    if ($exitCode -ne 0) {
        Stop-Step $Step (Resolve-NanoffError $exitCode $text $Context)
    }

    return $text
}

function Test-PortPresent([string] $Step, [string] $DevicePort) {
    $listing = Invoke-Nanoff $Step @('--listports') @{ port = $DevicePort }
    $ports = @($listing -split '\r?\n' | ForEach-Object { $_.Trim() } | Where-Object { $_ -match '^(COM\d+|/dev/\S+)$' })
    $comparison = if ($IsWindows) { [StringComparer]::OrdinalIgnoreCase } else { [StringComparer]::Ordinal }
    if (-not ($ports | Where-Object { $comparison.Equals($_, $DevicePort) })) {
        $available = if ($ports.Count -gt 0) { $ports -join ', ' } else { 'none' }
        Stop-Step $Step "serial port $DevicePort is not present (available: $available). What to do: plug in the board with a data USB cable, install the CP210x or CH340 driver if no port appears, and check the port name."
    }
}

# ---- Gateway admin API (docs/gateway-admin-api.md) ------------------------------------------------------

function Invoke-Admin([string] $Step, [string] $Method, [string] $Path, $Body) {
    $uri = $script:AdminBase + $Path
    $request = @{
        Method                 = $Method
        Uri                    = $uri
        Authentication         = 'Bearer'
        Token                  = $script:AdminTokenSecure
        TimeoutSec             = 30
        SkipHttpErrorCheck     = $true
        StatusCodeVariable     = 'status'
        ContentType            = 'application/json'
        ErrorAction            = 'Stop'
    }
    if ($script:AdminBase.StartsWith('http:')) { $request.AllowUnencryptedAuthentication = $true }
    if ($null -ne $Body) { $request.Body = ($Body | ConvertTo-Json -Compress -Depth 5) }

    Write-Log "> $Method $uri"
    try {
        $response = Invoke-RestMethod @request
    }
    catch {
        Stop-Step $Step "the gateway admin API at $($script:AdminBase) is not reachable ($($_.Exception.Message)). What to do: check -GatewayUrl/-AdminUrl, the network of this PC and that the gateway runs."
    }

    Write-Log "  HTTP $status"
    return [pscustomobject]@{ Status = [int] $status; Body = $response }
}

function Get-ErrorField($Body) {
    if ($Body -and $Body.PSObject.Properties['error']) { return [string] $Body.error }
    return 'no detail'
}

function Test-GatewayAccess {
    $result = Invoke-Admin 'check' 'GET' '/admin/devices' $null
    switch ($result.Status) {
        200 { return @($result.Body | ForEach-Object { [string] $_.deviceId }) }
        401 { Stop-Step 'check' 'the gateway rejected the admin token (HTTP 401). What to do: use the admin token from the gateway configuration.' }
        default { Stop-Step 'check' "the gateway admin API answered HTTP $($result.Status) to GET /admin/devices. What to do: check -AdminUrl points at the gateway." }
    }
}

function Register-Device([hashtable] $Device) {
    $id = $Device.DeviceId
    if ($RotateKey) {
        $result = Invoke-Admin 'register' 'POST' "/admin/devices/$id/rotate-key" $null
    }
    else {
        $result = Invoke-Admin 'register' 'POST' '/admin/devices' ([ordered]@{ deviceId = $id; currencies = @($Device.Currency) })
    }

    switch ($result.Status) {
        { $_ -in 200, 201 } { break }
        401 { Stop-Step 'register' 'the gateway rejected the admin token (HTTP 401). What to do: use the admin token from the gateway configuration.' }
        404 { Stop-Step 'register' "device $id is not registered, so its key cannot be rotated (HTTP 404). What to do: run without -RotateKey." }
        409 { Stop-Step 'register' "device $id is already registered (HTTP 409). What to do: to re-provision it, run again with -RotateKey (its old key stops working after its first request with the new one)." }
        400 { Stop-Step 'register' "the gateway rejected the registration of $id (HTTP 400: $(Get-ErrorField $result.Body)). What to do: fix that field." }
        default { Stop-Step 'register' "the gateway answered HTTP $($result.Status) to the registration of $id. What to do: check the gateway log and retry." }
    }

    $body = $result.Body
    $key = if ($body -and $body.PSObject.Properties['key']) { [string] $body.key } else { '' }
    Add-Secret $key
    $keyBytes = $null
    try { $keyBytes = [Convert]::FromBase64String($key) } catch { $keyBytes = $null }
    $keyVersion = if ($body -and $body.PSObject.Properties['keyVersion']) { $body.keyVersion } else { $null }
    if ($null -eq $keyBytes -or $keyBytes.Length -ne 32 -or -not ($keyVersion -is [long] -or $keyVersion -is [int]) -or $keyVersion -lt 1) {
        Stop-Step 'register' "the gateway's answer for $id has no valid key (base64 of 32 bytes) and key version. What to do: check the gateway version against docs/gateway-admin-api.md."
    }

    return @{ Key = $key; KeyVersion = [int] $keyVersion }
}

# ---- Device configuration (docs/configuration.md) -------------------------------------------------------

function New-DeviceConfiguration([hashtable] $Device, [hashtable] $Registration) {
    $pins = $BoardProfiles[$Device.Board]
    $config = [ordered]@{
        deviceId   = $Device.DeviceId
        keyVersion = $Registration.KeyVersion
        key        = $Registration.Key
        gatewayUrl = $script:GatewayBase
    }
    if ($CaCertificate) { $config.caCertificate = $CaDevicePath }
    $config.wifiSsid = $WifiSsid
    $config.wifiPassword = $script:WifiPasswordPlain
    if ($Device.DisplayName) { $config.displayName = $Device.DisplayName }
    $config.currency = $Device.Currency
    $config.board = $Device.Board
    $config.display = $Display
    if ($Display -in 'st7789', 'ili9341') {
        if ($DisplaySize) { $config.displaySize = $DisplaySize }
        foreach ($key in $TftPins.Keys) { $config[$key] = $TftPins[$key] }
    }
    else {
        $config.i2cSda = $pins.I2cSda
        $config.i2cScl = $pins.I2cScl
    }
    $config.scannerTx = $pins.ScannerTx
    $config.scannerRx = $pins.ScannerRx
    $config.hostLinkTx = $pins.HostLinkTx
    $config.hostLinkRx = $pins.HostLinkRx

    return ($config | ConvertTo-Json -Depth 3)
}

# Writes the configuration (and CA certificate) to I:\ through a private temp folder deleted in finally.
function Write-DeviceConfiguration([hashtable] $Device, [hashtable] $Registration) {
    $folder = [System.IO.Directory]::CreateTempSubdirectory('terminal-flash-')
    try {
        $configFile = Join-Path $folder.FullName 'terminal.json'
        $utf8 = [System.Text.UTF8Encoding]::new($false)
        [System.IO.File]::WriteAllText($configFile, (New-DeviceConfiguration $Device $Registration), $utf8)

        $files = @([ordered]@{ DestinationFilePath = $ConfigDevicePath; SourceFilePath = $configFile })
        if ($CaCertificate) {
            $files += [ordered]@{ DestinationFilePath = $CaDevicePath; SourceFilePath = $script:CaCertificatePath }
        }

        $deployFile = Join-Path $folder.FullName 'deploy.json'
        $deployment = [ordered]@{ SerialPort = $Device.Port; Files = $files }
        [System.IO.File]::WriteAllText($deployFile, ($deployment | ConvertTo-Json -Depth 4), $utf8)

        $null = Invoke-Nanoff 'configure' @('--filedeployment', $deployFile) @{ port = $Device.Port }
    }
    finally {
        Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# ---- Self-test over the host link (docs/host-link.md) ----------------------------------------------------

# CRC-8 (polynomial 0x07, initial 0, no reflection, no final XOR) of the line's text, as two upper-case hex
# digits: the checksum after the '*' of every host-link line (docs/host-link.md section 1).
function Get-HostLinkChecksum([string] $Text) {
    [int] $crc = 0
    foreach ($byte in [System.Text.Encoding]::ASCII.GetBytes($Text)) {
        $crc = $crc -bxor $byte
        for ($bit = 0; $bit -lt 8; $bit++) {
            $crc = if ($crc -band 0x80) { (($crc -shl 1) -bxor 0x07) -band 0xFF } else { ($crc -shl 1) -band 0xFF }
        }
    }
    return $crc.ToString('X2')
}

# A request line with its checksum and CR LF.
function Format-HostLinkRequest([int] $Id, [string] $Command) {
    $text = "$Id $Command"
    return "$text*$(Get-HostLinkChecksum $text)`r`n"
}

# Reads one line from the terminal: @{ Id; Kind (OK, ERR or INFO); Text } for an answer with a correct
# checksum, $null for an event ("!..."), a corrupt line or anything else.
function ConvertFrom-HostLinkReply([string] $Line) {
    $match = [regex]::Match($Line.TrimEnd("`r", "`n"), '^(?<text>(?<id>0|[1-9][0-9]{0,8}) (?<kind>OK|ERR|INFO)(?: (?<rest>.*))?)\*(?<crc>[0-9A-Fa-f]{2})$')
    if (-not $match.Success) { return $null }
    if ((Get-HostLinkChecksum $match.Groups['text'].Value) -ne $match.Groups['crc'].Value.ToUpperInvariant()) { return $null }
    return @{ Id = [int] $match.Groups['id'].Value; Kind = $match.Groups['kind'].Value; Text = $match.Groups['rest'].Value }
}

# @{ Passed; Failed } from the text of "<id> OK SELFTEST <passed> <failed>", $null for any other answer.
function ConvertFrom-SelfTestResult([string] $Text) {
    $match = [regex]::Match($Text, '^SELFTEST (\d+) (\d+)$')
    if (-not $match.Success) { return $null }
    return @{ Passed = [int] $match.Groups[1].Value; Failed = [int] $match.Groups[2].Value }
}

# Sends SELFTEST until the terminal answers it: after a deploy it boots, joins Wi-Fi and waits for network time
# before its host link answers, and it answers ERR BUSY while it recovers an interrupted payment. Each attempt
# uses a new request id; an answer to any of them counts.
function Invoke-SelfTest([hashtable] $Device) {
    $portName = $HostLinkPort
    $serial = [System.IO.Ports.SerialPort]::new($portName, $HostLinkBaud)
    $serial.NewLine = "`n"
    $serial.ReadTimeout = 500
    try {
        try { $serial.Open() }
        catch { Stop-Step 'selftest' "the host link port $portName could not be opened ($($_.Exception.Message)). What to do: check -HostLinkPort and that nothing else uses it." }

        # A lone CR LF ends whatever half line the terminal may hold (docs/host-link.md section 6).
        $serial.Write("`r`n")
        $deadline = [DateTime]::UtcNow.AddSeconds($SelfTestTimeoutSeconds)
        $sent = [System.Collections.Generic.HashSet[int]]::new()
        $nextSend = [DateTime]::UtcNow
        while ([DateTime]::UtcNow -lt $deadline) {
            if ([DateTime]::UtcNow -ge $nextSend) {
                $id = $sent.Count + 1
                $null = $sent.Add($id)
                $serial.Write((Format-HostLinkRequest $id 'SELFTEST'))
                $nextSend = [DateTime]::UtcNow.AddSeconds(10)
            }

            try { $line = $serial.ReadLine() }
            catch [System.TimeoutException] { continue }
            $reply = ConvertFrom-HostLinkReply $line
            if (-not $reply) { continue }
            if ($reply.Id -eq 0) {
                # The terminal could not read a request (checksum, garbage after a reset): ask again soon.
                Write-Log "  host link: $($line.Trim())"
                $nextSend = [DateTime]::UtcNow.AddSeconds(2)
                continue
            }
            if (-not $sent.Contains($reply.Id)) { continue }

            switch ($reply.Kind) {
                'INFO' {
                    Write-Log "  selftest: $($reply.Text)"
                    $nextSend = [DateTime]::UtcNow.AddSeconds(10)
                }
                'ERR' {
                    if ($reply.Text -notlike 'BUSY*') {
                        Stop-Step 'selftest' "the terminal refused the self-test: $($reply.Text). What to do: read the terminal's screen and DIAG (docs/host-link.md)."
                    }
                    Write-Log "  selftest: terminal busy ($($reply.Text)); asking again"
                    $nextSend = [DateTime]::UtcNow.AddSeconds(3)
                }
                'OK' {
                    $summary = ConvertFrom-SelfTestResult $reply.Text
                    if (-not $summary) { continue }
                    if ($summary.Failed -gt 0) {
                        Stop-Step 'selftest' "the self-test reported $($summary.Passed) passed, $($summary.Failed) failed. What to do: read the FAIL lines in the log and check the wiring (hardware/README.md)."
                    }
                    return "$($summary.Passed) passed, 0 failed"
                }
            }
        }

        Stop-Step 'selftest' "no self-test result within $SelfTestTimeoutSeconds s on $portName. What to do: check that $portName is wired to the terminal's host link (GPIO4/GPIO5, hardware/README.md) and the baud rate (-HostLinkBaud)."
    }
    finally {
        $serial.Dispose()
    }
}

# ---- One device -----------------------------------------------------------------------------------------

function Invoke-DeviceFlash([hashtable] $Device) {
    $name = "$($Device.DeviceId) on $($Device.Port)"
    $script:LogFile = Join-Path $LogDirectory ("{0}-{1:yyyyMMdd-HHmmss}.log" -f $Device.DeviceId, (Get-Date))
    $context = @{ port = $Device.Port; target = $Device.Target; image = $script:ImagePath }
    $step = 'check'
    $notes = [System.Collections.Generic.List[string]]::new()
    try {
        Write-Step "== $name (board $($Device.Board), target $($Device.Target))" 'White'
        if ($WhatIfPreference) {
            Write-Log 'what-if run: nothing is changed'
        }
        else {
            Test-PortPresent 'check' $Device.Port
            if (-not $SkipProvisioning) {
                $known = $script:KnownDevices -contains $Device.DeviceId
                if ($known -and -not $RotateKey) {
                    Stop-Step 'check' "device $($Device.DeviceId) is already registered at the gateway. What to do: to re-provision it, run again with -RotateKey (its old key stops working after its first request with the new one)."
                }
                if ($RotateKey -and -not $known) {
                    Stop-Step 'check' "device $($Device.DeviceId) is not registered at the gateway, so its key cannot be rotated. What to do: run without -RotateKey."
                }
            }
        }

        $step = 'firmware'
        $erase = if ($MassErase) { ' after erasing the whole flash' } else { '' }
        if (-not $SkipFirmware -and $PSCmdlet.ShouldProcess($Device.Port, "Flash nanoFramework firmware $($Device.Target)$erase")) {
            Write-Step "Flashing firmware $($Device.Target) to $($Device.Port)$erase (hold BOOT if it does not start)..."
            $arguments = @('--update', '--target', $Device.Target, '--serialport', $Device.Port)
            if ($MassErase) { $arguments += '--masserase' }
            $null = Invoke-Nanoff 'firmware' $arguments $context
        }

        $registration = $null
        $step = 'register'
        $action = if ($RotateKey) { 'Rotate the device key' } else { 'Register the device and receive its key' }
        if (-not $SkipProvisioning -and $PSCmdlet.ShouldProcess("device $($Device.DeviceId) at $($script:AdminBase)", $action)) {
            Write-Step "$action at the gateway..."
            $registration = Register-Device $Device
            Write-Log "  key version $($registration.KeyVersion) received"
        }

        $step = 'configure'
        if (($registration -or ($WhatIfPreference -and -not $SkipProvisioning)) -and $PSCmdlet.ShouldProcess($Device.Port, "Write $ConfigDevicePath (Wi-Fi, gateway URL, device key)" + $(if ($CaCertificate) { " and $CaDevicePath" } else { '' }))) {
            Write-Step "Writing the configuration to $ConfigDevicePath..."
            try {
                Write-DeviceConfiguration $Device $registration
            }
            catch [FlashError] {
                $keyAdvice = " The device is registered but did not get its key: run again with -SkipFirmware -RotateKey."
                Stop-Step 'configure' ($_.Exception.Message + $keyAdvice)
            }
        }

        $step = 'app'
        if (-not $SkipApp -and $PSCmdlet.ShouldProcess($Device.Port, "Deploy application image $($script:ImagePath)")) {
            Write-Step "Deploying the application image..."
            $null = Invoke-Nanoff 'app' @('--nanodevice', '--deploy', '--serialport', $Device.Port, '--image', $script:ImagePath) $context
        }

        $step = 'verify'
        if (-not $SkipVerify -and $PSCmdlet.ShouldProcess($Device.Port, 'Read the device details')) {
            Write-Step 'Verifying the device...'
            $details = Invoke-Nanoff 'verify' @('--nanodevice', '--devicedetails', '--serialport', $Device.Port) $context
            $targetLine = ($details -split '\r?\n' | Where-Object { $_ -match 'Target' } | Select-Object -First 1)
            if ($targetLine) { $notes.Add($targetLine.Trim()) }
        }

        $step = 'selftest'
        if ($SelfTest -and $PSCmdlet.ShouldProcess($Device.Port, 'Run the self-test over the host link')) {
            Write-Step 'Running the self-test over the host link...'
            $notes.Add('self-test ' + (Invoke-SelfTest $Device))
        }

        $status = if ($WhatIfPreference) { 'WHATIF' } else { 'OK' }
        Write-Step "$name`: $status" 'Green'
        return [pscustomobject]@{ DeviceId = $Device.DeviceId; Port = $Device.Port; Status = $status; Step = ''; Message = ($notes -join '; '); Log = $script:LogFile }
    }
    catch {
        $failedStep = if ($_.Exception -is [FlashError]) { $_.Exception.Step } else { $step }
        $message = Protect-Text $_.Exception.Message
        Write-Step "$name FAILED at step '$failedStep': $message" 'Red'
        return [pscustomobject]@{ DeviceId = $Device.DeviceId; Port = $Device.Port; Status = 'FAILED'; Step = $failedStep; Message = $message; Log = $script:LogFile }
    }
}

# ---- Input checks (before anything is changed) ----------------------------------------------------------

function Get-Column($Row, [string] $Name) {
    $property = $Row.PSObject.Properties[$Name]
    if ($property -and $property.Value) { return ([string] $property.Value).Trim() }
    return ''
}

function Get-Devices {
    $rows = if ($PSCmdlet.ParameterSetName -eq 'Batch') {
        if (-not (Test-Path -LiteralPath $DeviceCsv -PathType Leaf)) { throw "device CSV '$DeviceCsv' not found" }
        @(Import-Csv -LiteralPath $DeviceCsv)
    }
    else {
        @([pscustomobject]@{ port = $Port; deviceId = $DeviceId; displayName = $DisplayName })
    }

    if ($rows.Count -eq 0) { throw "device CSV '$DeviceCsv' has no rows" }
    $problems = [System.Collections.Generic.List[string]]::new()
    $devices = for ($i = 0; $i -lt $rows.Count; $i++) {
        $row = $rows[$i]
        $line = $i + 2  # the header is line 1
        $device = @{
            Port        = Get-Column $row 'port'
            DeviceId    = Get-Column $row 'deviceId'
            DisplayName = Get-Column $row 'displayName'
            Currency    = Get-Column $row 'currency'
            Board       = Get-Column $row 'board'
            Target      = Get-Column $row 'target'
        }
        if (-not $device.Currency) { $device.Currency = $Currency }
        if (-not $device.Board) { $device.Board = $Board }
        if (-not $device.Target) { $device.Target = if ($Target) { $Target } else { $BoardProfiles[$device.Board].Target } }
        $where = if ($PSCmdlet.ParameterSetName -eq 'Batch') { "$DeviceCsv line ${line}: " } else { '' }

        if ($device.Port -notmatch '^(COM[0-9]{1,3}|/dev/[A-Za-z0-9._/-]+)$') { $problems.Add("${where}port '$($device.Port)' is not a serial port name (COM5, /dev/ttyUSB0)") }
        if ($device.DeviceId -notmatch '^[A-Za-z0-9]{1,32}$') { $problems.Add("${where}deviceId '$($device.DeviceId)' must be 1 to 32 letters and digits") }
        if ($device.DisplayName -notmatch '^[^\x00-\x1F"\\]{0,32}$') { $problems.Add("${where}displayName must be at most 32 printable characters without quotes or backslashes") }
        if (-not $BoardProfiles.ContainsKey($device.Board)) { $problems.Add("${where}board '$($device.Board)' must be wroom or wrover") }
        if ($device.Target -cnotmatch '^[A-Z0-9_]{3,40}$') { $problems.Add("${where}target '$($device.Target)' is not a nanoFramework target name (ESP32_REV3)") }
        if (-not $SkipProvisioning -and $device.Currency -cnotmatch '^[A-Z]{3}$') { $problems.Add("${where}currency '$($device.Currency)' must be an ISO 4217 code such as USD (give -Currency or a currency column)") }
        $device
    }

    $devices = @($devices)
    if ($DisplaySize -and $Display -notin 'st7789', 'ili9341') { $problems.Add("-DisplaySize is for the colour displays st7789 and ili9341, not $Display") }
    if ($Display -eq 'ili9341' -and $DisplaySize -eq '240x240') { $problems.Add('ILI9341 panels are 320x240 or 240x320') }
    foreach ($duplicate in ($devices | Group-Object { $_.Port } | Where-Object Count -gt 1)) { $problems.Add("port $($duplicate.Name) appears more than once") }
    foreach ($duplicate in ($devices | Group-Object { $_.DeviceId } | Where-Object Count -gt 1)) { $problems.Add("deviceId $($duplicate.Name) appears more than once") }
    if ($problems.Count -gt 0) { throw ($problems -join [Environment]::NewLine) }
    return $devices
}

function Test-Url([string] $Url, [string] $Name) {
    $uri = $null
    if (-not [Uri]::TryCreate($Url, [UriKind]::Absolute, [ref] $uri) -or $uri.Scheme -notin 'https', 'http') {
        throw "$Name '$Url' is not an http(s) URL"
    }
    if ($uri.Scheme -eq 'http' -and -not $uri.IsLoopback) {
        throw "$Name must use https (http is accepted only for localhost tests)"
    }
    return $Url.TrimEnd('/')
}

function Initialize-Run {
    if ($SelfTest -and -not $HostLinkPort) {
        throw 'give -HostLinkPort with -SelfTest: the PC port wired to the terminal''s host link (GPIO4/GPIO5; the board''s USB port is the debug port)'
    }

    if (-not (Get-Command nanoff -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'nanoff is not installed or not on PATH. What to do: install the .NET SDK, run "dotnet tool install -g nanoff", then open a new terminal.'
    }

    $script:ImagePath = $null
    if (-not $SkipApp) {
        if (-not (Test-Path -LiteralPath $Image -PathType Leaf)) {
            throw "application image '$Image' not found. What to do: build it with -p:Device=true (docs/flashing.md) or give -Image."
        }
        $script:ImagePath = (Resolve-Path -LiteralPath $Image).ProviderPath
    }

    if ($SkipProvisioning) { return }

    if (-not $GatewayUrl) { throw 'give -GatewayUrl (the gateway URL the device will use), or -SkipProvisioning' }
    $script:GatewayBase = Test-Url $GatewayUrl '-GatewayUrl'
    $script:AdminBase = if ($AdminUrl) { Test-Url $AdminUrl '-AdminUrl' } else { $script:GatewayBase }

    $script:AdminTokenSecure = $AdminToken
    if (-not $script:AdminTokenSecure -and $env:TERMINAL_ADMIN_TOKEN) {
        $script:AdminTokenSecure = ConvertTo-SecureString $env:TERMINAL_ADMIN_TOKEN -AsPlainText -Force
    }
    if (-not $script:AdminTokenSecure) { throw 'give -AdminToken (Read-Host -AsSecureString) or set TERMINAL_ADMIN_TOKEN' }
    Add-Secret (ConvertTo-PlainText $script:AdminTokenSecure)

    if (-not $WifiSsid) { throw 'give -WifiSsid (the shop''s Wi-Fi network)' }
    $wifi = $WifiPassword
    if (-not $wifi -and $env:TERMINAL_WIFI_PASSWORD) {
        $wifi = ConvertTo-SecureString $env:TERMINAL_WIFI_PASSWORD -AsPlainText -Force
    }
    if (-not $wifi) { throw 'give -WifiPassword (Read-Host -AsSecureString) or set TERMINAL_WIFI_PASSWORD' }
    $script:WifiPasswordPlain = ConvertTo-PlainText $wifi
    Add-Secret $script:WifiPasswordPlain

    $script:CaCertificatePath = $null
    if ($CaCertificate) {
        if (-not (Test-Path -LiteralPath $CaCertificate -PathType Leaf) -or
            -not (Select-String -LiteralPath $CaCertificate -Pattern '-----BEGIN CERTIFICATE-----' -SimpleMatch -Quiet)) {
            throw "CA certificate '$CaCertificate' is not a PEM certificate file"
        }
        $script:CaCertificatePath = (Resolve-Path -LiteralPath $CaCertificate).ProviderPath
    }
}

# ---- Main -----------------------------------------------------------------------------------------------

function Invoke-Main {
    try {
        $devices = Get-Devices
        Initialize-Run
    }
    catch {
        Write-Host "flash.ps1: $(Protect-Text $_.Exception.Message)" -ForegroundColor Red
        return 2
    }

    $null = New-Item -ItemType Directory -Force -Path $LogDirectory -WhatIf:$false
    $script:KnownDevices = @()
    $results = [System.Collections.Generic.List[object]]::new()
    if (-not $SkipProvisioning -and -not $WhatIfPreference) {
        try {
            $script:KnownDevices = Test-GatewayAccess
        }
        catch [FlashError] {
            Write-Host "flash.ps1: $(Protect-Text $_.Exception.Message)" -ForegroundColor Red
            return 3
        }
    }

    foreach ($device in $devices) {
        $results.Add((Invoke-DeviceFlash $device))
    }

    $script:LogFile = $null
    Write-Host ''
    Write-Host (($results | Format-Table DeviceId, Port, Status, Step, Message -AutoSize -Wrap | Out-String -Width 160).TrimEnd())
    $failed = @($results | Where-Object Status -eq 'FAILED').Count
    if ($WhatIfPreference) {
        Write-Host "what-if: nothing was changed. Logs: $LogDirectory"
    }
    else {
        Write-Host ("{0} device(s): {1} ok, {2} failed. Logs: {3}" -f $results.Count, ($results.Count - $failed), $failed, $LogDirectory)
    }
    if ($PassThru) { $results | Write-Output }
    return $(if ($failed -gt 0) { 1 } else { 0 })
}

$exitCode = 0
$results = Invoke-Main | ForEach-Object {
    if ($_ -is [int]) { $exitCode = $_ } else { $_ }
}
$results
exit $exitCode
