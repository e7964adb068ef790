#Requires -Version 7.4

<#
.SYNOPSIS
    Flashes, provisions and checks ESP32 QR payment terminals (nanoFramework): one device, or a batch from a CSV.

.DESCRIPTION
    For each device: checks the serial port and reads the chip's identity (MAC, PSRAM) through nanoff; flashes the
    nanoFramework firmware (nanoff --update); registers the device at the gateway's admin API and receives its HMAC
    key (shown to nobody); writes the configuration I:\terminal.json and the gateway CA certificate to the device
    (nanoff --filedeployment); installs the application; verifies that the device runs the firmware target that was
    flashed; with -SelfTest, runs the self-test over the host link and reports which OLED address answered.

    The application goes on in one of two ways. A board that takes over-the-air updates (PSRAM firmware target and at
    least 8 MB of flash, e.g. ESP32-WROVER-E-N8R8) gets the bundle (-Bundle) as its installed version on I:\ota and
    the boot program's image (-BootImage), which loads the application from there (docs/ota.md); any other board, or
    any board with -NoUpdates, gets the whole application image (-Image) and takes no updates.

    Before anything is flashed or registered, every value is checked against the terminal's own configuration rules
    (flash/config-rules.json, generated from the firmware) and each terminal.json is judged by the firmware's own
    parser (flash/config-check), so that what flash.ps1 accepts, the terminal accepts. Values are normalised
    (wrover, USD, 0x3D); unknown CSV columns and -Setting keys are refused with the closest known name.

    A normal run needs: -Port and -DeviceId (or -DeviceCsv), -Currency (or a currency column), -GatewayUrl,
    -AdminToken (or TERMINAL_ADMIN_TOKEN), -WifiSsid, -WifiPassword (or TERMINAL_WIFI_PASSWORD), -Image (and, when a
    board with a PSRAM target such as wrover is in the run, -BootImage and -Bundle; the device build writes all three
    where their defaults point), and -CaCertificate when the gateway's certificate comes from a private CA.

    Batch (-DeviceCsv): one row per device, any separator (detected or -CsvDelimiter), every message names the CSV
    line. A result file (<csv>.results.csv) records each row's outcome and the step it reached; running the same
    command again skips the rows done and resumes the others from the right step, rotating a device's key only
    where the board never got it. With -Port and a CSV the rows are flashed one after another on that one port: the
    script asks for the next board and checks by its MAC that it is a different one.

    Secrets (admin token, Wi-Fi password, device key) never appear on a command line, in the output, the logs or the
    result file: pass them as SecureString (Read-Host -AsSecureString) or in the environment variables
    TERMINAL_ADMIN_TOKEN and TERMINAL_WIFI_PASSWORD.

    Ctrl+C stops the run cleanly: the device's state goes to the result file and the log, and the script says how to
    continue. Exit codes: 0 all done; 1 a device failed (or PowerShell refused a parameter); 2 a parameter, the CSV
    or the configuration was refused (nothing was done); 3 the gateway is unreachable, untrusted or refused the
    token (nothing was done); 130 interrupted.

    See docs/flashing.md and hardware/README.md.

.EXAMPLE
    $token = Read-Host 'Admin token' -AsSecureString
    $wifi = Read-Host 'Wi-Fi password' -AsSecureString
    ./flash.ps1 -Port COM5 -DeviceId T0001 -DisplayName 'Counter 1' -Currency USD -Board wroom `
        -GatewayUrl https://gw.example.com:8443 -AdminUrl http://127.0.0.1:8081 -AdminToken $token `
        -WifiSsid shop-wifi -WifiPassword $wifi -CaCertificate ./gateway-ca.pem -Image ./Terminal.Esp32.bin

    One device; the admin API reached through an SSH tunnel (ssh -L 8081:127.0.0.1:8081 gw.example.com).

.EXAMPLE
    ./flash.ps1 -DeviceCsv ./devices.csv -Currency EUR -GatewayUrl https://gw.example.com -WifiSsid shop-wifi `
        -CaCertificate ./gateway-ca.pem -Image ./Terminal.Esp32.bin -WhatIf

    Checks a batch without changing anything: the CSV and every configuration, the ports, the gateway's
    certificate, the admin token (read-only call) and the image.

.EXAMPLE
    ./flash.ps1 -DeviceCsv ./devices.csv -Port COM5 -Currency EUR -GatewayUrl https://gw.example.com `
        -WifiSsid shop-wifi -Image ./Terminal.Esp32.bin

    One USB cable: the rows are flashed one after another on COM5; the script asks for each board.

.EXAMPLE
    $pin = Read-Host 'Menu PIN (4-8 digits)' -AsSecureString
    ./flash.ps1 -Port COM5 -DeviceId T0002 -Currency USD -GatewayUrl https://gw.example.com -WifiSsid shop-wifi `
        -Image ./Terminal.Esp32.bin -Setting @{ keypad = 'pcf8574'; buzzerPin = 25; printer = 'escpos' } -MenuPin $pin

    A standalone countertop (keypad, buzzer, receipt printer; hardware/README.md section 7) whose merchant menu opens
    with that PIN: the device gets only the PIN's salted PBKDF2-HMAC-SHA256 hash (docs/countertop.md).
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Single')]
param(
    # Serial port of the board: COM5 on Windows, /dev/ttyUSB0 on Linux, /dev/cu.usbserial-1410 on macOS. Required
    # for one device. With -DeviceCsv: one-cable mode, every row is flashed on this port, one board after another.
    [Parameter(Mandatory, ParameterSetName = 'Single')]
    [Parameter(ParameterSetName = 'Batch')]
    [ValidatePattern('^(COM[0-9]{1,3}|/dev/[A-Za-z0-9._/-]+)$')]
    [string] $Port,

    # Required for one device: its Client-Id at the gateway, letters and digits, at most 32.
    [Parameter(Mandatory, ParameterSetName = 'Single')]
    [string] $DeviceId,

    # Shown on the idle screen (at most 32 characters).
    [Parameter(ParameterSetName = 'Single')]
    [string] $DisplayName,

    # Required for a batch: CSV with a header and one device per row. Columns: deviceId (required), port (required
    # unless -Port), target, and any configuration key (board, currency, displayName, display, displayAddress, ...,
    # see docs/configuration.md).
    [Parameter(Mandatory, ParameterSetName = 'Batch')]
    [string] $DeviceCsv,

    # The CSV separator: comma, semicolon, tab, pipe or the character; default: detected from the header line.
    [Parameter(ParameterSetName = 'Batch')]
    [string] $CsvDelimiter,

    # The batch result file; default: <csv folder>/<csv name>.results.csv. A rerun with it resumes the batch.
    [Parameter(ParameterSetName = 'Batch')]
    [string] $ResultCsv,

    # Board profile (pins and firmware target): wroom (ESP32-WROOM-32E-N4, no PSRAM) or wrover (ESP32-WROVER-E,
    # PSRAM on GPIO16/17); default: the configuration's default (wroom). A CSV board column overrides it per row.
    [string] $Board,

    # nanoFramework firmware target; default from the board profile (ESP32_REV3 / ESP32_PSRAM_REV3).
    [string] $Target,

    # Required for a normal run (unless a currency column gives it): the ISO 4217 code of the terminal's sales.
    [string] $Currency,

    # Display controller: the OLEDs ssd1306 (0.96" and 2.42" SSD1309) or sh1106 (1.3"), or the colour TFTs st7789
    # or ili9341 (panel size with -Setting @{ displaySize = '240x240' }; TFT pins as in hardware/README.md);
    # default: the configuration's default.
    [string] $Display,

    # More configuration keys for every device, e.g. @{ displayAddress = '0x3D'; pollIntervalMs = 1500 }
    # (docs/configuration.md); a CSV column of the same name overrides it per row.
    [hashtable] $Setting = @{},

    # Required for a normal run: the gateway's base URL as the device sees it (https).
    [string] $GatewayUrl,

    # The gateway's admin API base URL when it is not -GatewayUrl: the admin listener (Gateway:AdminUrls, loopback
    # by default), e.g. http://127.0.0.1:8081 through an SSH tunnel. http only on this PC's loopback.
    [string] $AdminUrl,

    # Required for a normal run: the gateway admin token; default: environment variable TERMINAL_ADMIN_TOKEN.
    [securestring] $AdminToken,

    # Required for a normal run: the shop's Wi-Fi network.
    [string] $WifiSsid,

    # Required for a normal run: the Wi-Fi password; default: environment variable TERMINAL_WIFI_PASSWORD.
    [securestring] $WifiPassword,

    # PEM file of the CA that signed the gateway's TLS certificate, when it is a private CA: written to the device
    # (I:\gateway-ca.pem) and trusted by this script's own calls to the gateway (device URL and admin API).
    [string] $CaCertificate,

    # Required for a normal run: the whole application image, for a board that takes no updates. `dotnet build
    # Terminal.Esp32 -c Release -p:Device=true` writes it to this default path (docs/device-build.md).
    [string] $Image = (Join-Path $PSScriptRoot 'Terminal.Esp32/bin/Release/Terminal.Esp32.bin'),

    # The boot program's image (Terminal.Esp32.Boot: runtime libraries and Terminal.Loader only), for a board that
    # takes updates; the device build writes it to this default path.
    [string] $BootImage = (Join-Path $PSScriptRoot 'Terminal.Esp32/bin/Release/Terminal.Esp32.Boot.bin'),

    # The bundle folder installed as the first version of a board that takes updates (manifest.json and the .pe
    # files, checked by size and SHA-256 first); the device build writes it to this default path, and the same
    # folder is what `bundles upload` sends to the gateway.
    [string] $Bundle = (Join-Path $PSScriptRoot 'Terminal.Esp32/bin/Release/bundle'),

    # Deploy the whole application image (-Image) on every board, also on those that could take updates.
    [switch] $NoUpdates,

    # Erase the whole flash (including the configuration partition I:) before flashing the firmware; not with
    # -SkipFirmware.
    [switch] $MassErase,

    # The devices are already registered: ask the gateway for new keys (rotate-key) instead of registering. A batch
    # rerun rotates by itself where this batch registered a device whose board never got the key.
    [switch] $RotateKey,

    # Keep the firmware on the board (no nanoff --update).
    [switch] $SkipFirmware,

    # Do not deploy the application image.
    [switch] $SkipApp,

    # Skip gateway registration and the configuration file (no gateway, token or Wi-Fi needed).
    [switch] $SkipProvisioning,

    # Do not read back the device details (firmware target).
    [switch] $SkipVerify,

    # After verifying, run the self-test over the host link (docs/host-link.md) and ask DIAG which OLED address
    # answered. Needs -HostLinkPort.
    [switch] $SelfTest,

    # With -SelfTest: the PC's serial port wired to the terminal's host link UART (COM3: GPIO4 TX / GPIO5 RX, through a
    # 3.3 V USB-serial adapter). Not the board's own USB port: that is nanoFramework's debug port.
    [ValidatePattern('^(COM[0-9]{1,3}|/dev/[A-Za-z0-9._/-]+)$')]
    [string] $HostLinkPort,

    # Host link speed (the terminal uses 115200).
    [ValidateRange(1200, 3000000)]
    [int] $HostLinkBaud = 115200,

    # How long the self-test waits for the terminal (it boots, joins Wi-Fi and waits for network time first).
    [ValidateRange(5, 3600)]
    [int] $SelfTestTimeoutSeconds = 120,

    # One log file per device and run is written here.
    [string] $LogDirectory = (Join-Path (Get-Location) 'flash-logs'),

    # The firmware's configuration check (a .NET program); default: flash/config-check beside this script.
    [string] $ConfigCheck = (Join-Path $PSScriptRoot 'flash/config-check/Terminal.ConfigCheck.dll'),

    # The merchant menu's PIN for every device, 4 to 8 digits (Read-Host -AsSecureString). The configuration gets
    # its salted PBKDF2-HMAC-SHA256 hash (menuPin, docs/countertop.md), a fresh salt per device; never the PIN.
    [securestring] $MenuPin,

    # Also return one result object per device.
    [switch] $PassThru
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

foreach ($part in 'Output', 'Rules', 'DeviceCsv', 'Results', 'Nanoff', 'GatewayAdmin', 'HostLink', 'MenuPin', 'Bundle') {
    . (Join-Path $PSScriptRoot "flash/$part.ps1")
}

# ---- Board profiles (pins as in docs/configuration.md and hardware/README.md) -------------------------

$BoardProfiles = @{
    wroom  = [ordered]@{ Target = 'ESP32_REV3'; scannerTx = 17; scannerRx = 16; i2cSda = 21; i2cScl = 22; hostLinkTx = 4; hostLinkRx = 5 }
    # WROVER: GPIO16/17 drive the PSRAM, so the scanner UART moves to GPIO27 (TX) / GPIO26 (RX).
    wrover = [ordered]@{ Target = 'ESP32_PSRAM_REV3'; scannerTx = 27; scannerRx = 26; i2cSda = 21; i2cScl = 22; hostLinkTx = 4; hostLinkRx = 5 }
}

$RulesPath = Join-Path $PSScriptRoot 'flash/config-rules.json'
$ConfigDevicePath = 'I:\terminal.json'
$CaDevicePath = 'I:\gateway-ca.pem'
$Steps = 'check', 'identify', 'firmware', 'register', 'configure', 'app', 'verify', 'selftest', 'done'

# Keys flash.ps1 writes itself, from its parameters and the gateway: never a CSV column or a -Setting.
$OwnedKeys = @{
    keyVersion    = 'comes from the gateway'
    key           = 'comes from the gateway and never leaves the device'
    gatewayUrl    = 'comes from -GatewayUrl'
    caCertificate = 'comes from -CaCertificate'
    wifiSsid      = 'comes from -WifiSsid'
    wifiPassword  = 'comes from -WifiPassword: secrets never go into a CSV'
}

# A key the firmware check parses in place of the one the gateway will issue (base64 of 32 zero bytes).
$PlaceholderKey = [Convert]::ToBase64String([byte[]]::new(32))

function Get-StepIndex([string] $Step) { return [Array]::IndexOf($Steps, $Step) }

# ---- Devices and their configurations (nothing is changed until every one is accepted) -------------------------

# One device: its id, port, board, target and configuration values, each checked by its rule and normalised.
function Resolve-Device([int] $Line, [System.Collections.IDictionary] $Columns, [string] $Where, $Rules, [System.Collections.Generic.List[string]] $Problems) {
    # key -> @{ Raw; Source }: parameters, then -Setting, then the row's own columns.
    $given = [ordered]@{}
    foreach ($parameter in @{ board = 'Board'; display = 'Display'; currency = 'Currency'; displayName = 'DisplayName' }.GetEnumerator()) {
        if ($script:Bound.ContainsKey($parameter.Value)) { $given[$parameter.Key] = @{ Raw = $script:Bound[$parameter.Value]; Source = "-$($parameter.Value)" } }
    }
    foreach ($entry in $Setting.GetEnumerator()) {
        $rule = Find-ConfigRule $Rules ([string] $entry.Key)
        if (-not $rule) { $Problems.Add("-Setting: unknown key '$($entry.Key)': $(Get-NameHint $entry.Key @($Rules.ByKey.Keys))"); continue }
        if ($OwnedKeys.Contains($rule.key) -or $rule.key -eq 'deviceId') { $Problems.Add("-Setting: '$($rule.key)' is set by flash.ps1 itself"); continue }
        $given[$rule.key] = @{ Raw = $entry.Value; Source = '-Setting' }
    }
    foreach ($entry in $Columns.GetEnumerator()) {
        if ($entry.Key -in 'port', 'target', 'deviceId' -or $entry.Value -eq '') { continue }
        $given[$entry.Key] = @{ Raw = $entry.Value; Source = "column $($entry.Key)" }
    }

    $idCheck = Test-ConfigValue $Rules $Rules.ByKey['deviceId'] ([string] $Columns['deviceId'])
    if ($idCheck.Problem) { $Problems.Add("$Where$($idCheck.Problem)") }

    $boardRaw = if ($given.Contains('board')) { $given['board'].Raw } else { $Rules.ByKey['board'].default }
    $boardCheck = Test-ConfigValue $Rules $Rules.ByKey['board'] $boardRaw
    $board = $boardCheck.Value
    $profile = if ($board -and $BoardProfiles.ContainsKey($board)) { $BoardProfiles[$board] } else { $null }
    if ($profile) {
        foreach ($pin in 'i2cSda', 'i2cScl', 'scannerTx', 'scannerRx', 'hostLinkTx', 'hostLinkRx') {
            if (-not $given.Contains($pin)) { $given[$pin] = @{ Raw = $profile[$pin]; Source = "board profile $board" } }
        }
    }

    if ($given.Contains('menuPin')) {
        if ($script:MenuPinPlain) { $Problems.Add("${Where}menuPin: given by -MenuPin and by $($given['menuPin'].Source): give one") }
        elseif ([string] $given['menuPin'].Raw -match '^\s*[0-9]{4,8}\s*$') {
            $Problems.Add("${Where}menuPin ($($given['menuPin'].Source)) holds the PIN's hash, not the PIN: give the PIN with -MenuPin")
            $given.Remove('menuPin')
        }
    }

    $values = [ordered]@{}
    foreach ($entry in $given.GetEnumerator()) {
        $check = Test-ConfigValue $Rules $Rules.ByKey[$entry.Key] $entry.Value.Raw
        if ($check.Problem) { $Problems.Add("$Where$($check.Problem) ($($entry.Value.Source))") }
        else { $values[$entry.Key] = $check.Value }
    }
    if ($script:MenuPinPlain) { $values['menuPin'] = New-MenuPinHash $script:MenuPinPlain }
    if (-not $SkipProvisioning -and -not $values.Contains('currency') -and -not $given.Contains('currency')) {
        $Problems.Add("${Where}currency: give -Currency or a currency column (an ISO 4217 code such as USD)")
    }

    $targetRaw = if ($Columns['target']) { $Columns['target'] } elseif ($Target) { $Target } elseif ($profile) { $profile.Target } else { '' }
    $targetValue = ([string] $targetRaw).Trim().ToUpperInvariant()
    if ($board -and $targetValue -notmatch '^[A-Z0-9_]{3,40}$') {
        $Problems.Add("${Where}target '$targetRaw' is not a nanoFramework target name such as ESP32_REV3$(if (-not $profile) { " (board '$board' has no profile in flash.ps1: give -Target)" })")
    }

    return @{
        Line = $Line; Where = $Where; DeviceId = $idCheck.Value; Port = [string] $Columns['port']; Board = $board
        Target = $targetValue; Currency = $values['currency']; Values = $values
    }
}

# Every device of the run, from the CSV or the single-device parameters; throws with every problem found.
function Get-Devices($Rules) {
    $script:MenuPinPlain = $null
    if ($MenuPin) {
        # Not a registered secret: masking four digits would blank dates and ports throughout the log, and the PIN is
        # never printed, logged or handed to a tool (only its hash is).
        $pin = ConvertFrom-SecureString -SecureString $MenuPin -AsPlainText
        $problem = Get-MenuPinProblem $pin
        if ($problem) { throw $problem }
        if ($SkipProvisioning) { throw '-MenuPin goes into the configuration, which -SkipProvisioning does not write: drop one of them' }
        $script:MenuPinPlain = $pin
    }
    $problems = [System.Collections.Generic.List[string]]::new()
    $devices = [System.Collections.Generic.List[hashtable]]::new()
    if ($script:Batch) {
        $columns = @{ port = 'port'; target = 'target' }
        $refused = @{}
        foreach ($rule in $Rules.Rules) {
            if ($OwnedKeys.Contains($rule.key)) { $refused[$rule.key] = "is not a device column: it $($OwnedKeys[$rule.key])" }
            else { $columns[$rule.key] = $rule.key }
        }
        $separator = if ($CsvDelimiter) { Resolve-CsvSeparator $CsvDelimiter } else { $null }
        $required = if ($Port) { @('deviceId') } else { @('port', 'deviceId') }
        $csv = Read-DeviceCsv $DeviceCsv $separator $columns $refused $required
        foreach ($problem in $csv.Problems) { $problems.Add($problem) }
        $shown = if ($csv.Separator -eq "`t") { 'tab' } else { "'$($csv.Separator)'" }
        Write-Host "$(Split-Path -Leaf $DeviceCsv): $($csv.Rows.Count) device(s), separator $shown$(if ($csv.Detected) { ' (detected)' })"
        $name = Split-Path -Leaf $DeviceCsv
        foreach ($row in $csv.Rows) {
            $where = "$name line $($row.Line): "
            if ($Port) {
                if ($row.Values.Contains('port') -and $row.Values['port'] -and -not (Test-SamePort $row.Values['port'] $Port)) {
                    $problems.Add("${where}port '$($row.Values['port'])', but -Port $Port flashes every row on $Port (one cable): empty the port column or drop -Port")
                }
                $row.Values['port'] = $Port
            }
            elseif ($row.Values['port'] -notmatch '^(COM[0-9]{1,3}|/dev/[A-Za-z0-9._/-]+)$') {
                $problems.Add("${where}port '$($row.Values['port'])' is not a serial port name (COM5, /dev/ttyUSB0)")
            }
            $devices.Add((Resolve-Device $row.Line $row.Values $where $Rules $problems))
        }
    }
    else {
        $devices.Add((Resolve-Device 0 ([ordered]@{ port = $Port; deviceId = $DeviceId }) '' $Rules $problems))
    }

    foreach ($duplicate in ($devices | Where-Object DeviceId | Group-Object { $_.DeviceId.ToUpperInvariant() } | Where-Object Count -gt 1)) {
        $problems.Add("deviceId $($duplicate.Group[0].DeviceId) appears on lines $(($duplicate.Group | ForEach-Object Line) -join ' and ')")
    }
    if (-not $Port) {
        foreach ($duplicate in ($devices | Group-Object { if ($IsWindows) { $_.Port.ToUpperInvariant() } else { $_.Port } } | Where-Object Count -gt 1)) {
            $problems.Add("port $($duplicate.Name) appears on lines $(($duplicate.Group | ForEach-Object Line) -join ' and '): each board needs its own port, or give -Port $($duplicate.Name) to flash the rows one after another with one cable")
        }
    }
    if ($HostLinkPort) {
        foreach ($device in $devices) {
            if ($device.Port -and (Test-SamePort $device.Port $HostLinkPort)) {
                $problems.Add("$($device.Where)-HostLinkPort $HostLinkPort is the board's own USB port: the host link is GPIO4/GPIO5 through a separate USB-serial adapter (hardware/README.md)")
            }
        }
    }
    if ($problems.Count -gt 0) { throw ($problems -join [Environment]::NewLine) }
    return $devices.ToArray()
}

# The terminal.json for a device, in the rules' order; $Registration $null gives the document the firmware check
# judges before anything is done (a placeholder key, the Wi-Fi password replaced by as many x: no secret leaves
# this process).
function New-DeviceConfiguration([hashtable] $Device, [hashtable] $Registration, $Rules) {
    $config = [ordered]@{
        deviceId   = $Device.DeviceId
        keyVersion = if ($Registration) { $Registration.KeyVersion } else { 1 }
        key        = if ($Registration) { $Registration.Key } else { $PlaceholderKey }
        gatewayUrl = $script:GatewayBase
    }
    if ($script:CaCertificatePath) { $config.caCertificate = $CaDevicePath }
    $config.wifiSsid = $script:WifiSsidValue
    $config.wifiPassword = if ($Registration) { $script:WifiPasswordPlain } else { 'x' * $script:WifiPasswordPlain.Length }
    foreach ($rule in $Rules.Rules) {
        if ($Device.Values.Contains($rule.key)) { $config[$rule.key] = $Device.Values[$rule.key] }
    }
    return $config
}

# ---- Run-wide checks (before any device) -------------------------------------------------------------------------

function Initialize-Run($Rules, [hashtable[]] $Devices) {
    if ($MassErase -and $SkipFirmware) {
        throw '-MassErase erases the flash before the firmware is written, so it needs the firmware step: drop -SkipFirmware (the script then writes the firmware, the configuration and the application again)'
    }
    if ($SelfTest -and -not $HostLinkPort) {
        throw 'give -HostLinkPort with -SelfTest: the PC port wired to the terminal''s host link (GPIO4/GPIO5; the board''s USB port is the debug port)'
    }
    if (-not (Get-Command nanoff -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'nanoff is not installed or not on PATH. What to do: install the .NET SDK, run "dotnet tool install -g nanoff", then open a new terminal.'
    }

    $script:ImagePath = $null
    $script:BootImagePath = $null
    $script:AppBundle = $null
    if (-not $SkipApp) {
        if (-not (Test-Path -LiteralPath $Image -PathType Leaf)) {
            throw "application image '$Image' not found. What to do: build it with -p:Device=true (docs/flashing.md) or give -Image."
        }
        $script:ImagePath = (Resolve-Path -LiteralPath $Image).ProviderPath
        # Only a PSRAM target can take updates; whether the flash is large enough is read from each chip later.
        if (-not $NoUpdates -and @($Devices | Where-Object { $_.Target -like '*PSRAM*' }).Count -gt 0) {
            if (-not (Test-Path -LiteralPath $BootImage -PathType Leaf)) {
                throw "boot program image '$BootImage' not found (a board with PSRAM and 8 MB flash gets it to take updates). What to do: build with -p:Device=true (docs/device-build.md), give -BootImage, or give -NoUpdates to deploy the whole image."
            }
            $script:BootImagePath = (Resolve-Path -LiteralPath $BootImage).ProviderPath
            $script:AppBundle = Read-AppBundle $Bundle
        }
    }

    if ($SkipProvisioning) { return }

    if (-not $GatewayUrl) { throw 'give -GatewayUrl (the gateway URL the device will use), or -SkipProvisioning' }
    $gateway = Test-GatewayUrl $Rules $GatewayUrl
    if ($gateway.Problem) { throw "-GatewayUrl: $($gateway.Problem)" }
    $script:GatewayBase = $gateway.Value
    $script:AdminBase = $script:GatewayBase
    if ($AdminUrl) {
        $admin = $null
        if (-not [Uri]::TryCreate($AdminUrl, [UriKind]::Absolute, [ref] $admin) -or $admin.Scheme -notin 'https', 'http' -or -not $admin.Host) {
            throw "-AdminUrl '$AdminUrl' is not an http(s) URL"
        }
        if ($admin.Scheme -eq 'http' -and -not $admin.IsLoopback) {
            throw '-AdminUrl must use https unless it is on this PC''s loopback (an SSH tunnel to the gateway''s admin listener)'
        }
        $script:AdminBase = $AdminUrl.TrimEnd('/')
    }

    $token = $AdminToken
    if (-not $token -and $env:TERMINAL_ADMIN_TOKEN) { $token = ConvertTo-SecureString $env:TERMINAL_ADMIN_TOKEN -AsPlainText -Force }
    if (-not $token) { throw 'give -AdminToken (Read-Host -AsSecureString) or set TERMINAL_ADMIN_TOKEN' }
    $script:AdminTokenPlain = ConvertFrom-SecureString -SecureString $token -AsPlainText
    Add-Secret $script:AdminTokenPlain

    if (-not $WifiSsid) { throw 'give -WifiSsid (the shop''s Wi-Fi network)' }
    $ssid = Test-ConfigValue $Rules $Rules.ByKey['wifiSsid'] $WifiSsid
    if ($ssid.Problem) { throw "-WifiSsid: $($ssid.Problem)" }
    $script:WifiSsidValue = $ssid.Value
    $wifi = $WifiPassword
    if (-not $wifi -and $env:TERMINAL_WIFI_PASSWORD) { $wifi = ConvertTo-SecureString $env:TERMINAL_WIFI_PASSWORD -AsPlainText -Force }
    if (-not $wifi) { throw 'give -WifiPassword (Read-Host -AsSecureString) or set TERMINAL_WIFI_PASSWORD' }
    $script:WifiPasswordPlain = ConvertFrom-SecureString -SecureString $wifi -AsPlainText
    Add-Secret $script:WifiPasswordPlain
    $password = Test-ConfigValue $Rules $Rules.ByKey['wifiPassword'] $script:WifiPasswordPlain
    if ($password.Problem) { throw "-WifiPassword: $($password.Problem)" }

    $script:CaCertificatePath = $null
    if ($CaCertificate) {
        $certificates = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
        try { $certificates.ImportFromPemFile((Resolve-Path -LiteralPath $CaCertificate -ErrorAction Stop).ProviderPath) } catch { $certificates.Clear() }
        if ($certificates.Count -eq 0) { throw "CA certificate '$CaCertificate' is not a PEM certificate file" }
        $script:CaCertificatePath = (Resolve-Path -LiteralPath $CaCertificate).ProviderPath
    }
}

# The firmware's verdict on every device's terminal.json, before anything is flashed or registered.
function Test-Configurations([hashtable[]] $Devices, $Rules) {
    if ($SkipProvisioning) { return }
    $documents = @($Devices | ForEach-Object { New-DeviceConfiguration $_ $null $Rules | ConvertTo-Json -Compress -Depth 4 })
    $verdicts = Invoke-FirmwareConfigCheck $ConfigCheck $RulesPath $documents
    $problems = for ($i = 0; $i -lt $Devices.Count; $i++) {
        if ($verdicts[$i]) { "$($Devices[$i].Where)the firmware refuses the configuration of $($Devices[$i].DeviceId): $($verdicts[$i])" }
    }
    if ($problems) { throw (@($problems) -join [Environment]::NewLine) }
}

# ---- One device ---------------------------------------------------------------------------------------------------

# The row enters a step: recorded in the result file before the step changes anything.
function Enter-Step([hashtable] $State, [string] $Step) {
    $State.Result.step = $Step
    $State.Result.status = 'RUNNING'
    $State.Result.updated = (Get-Date).ToString('s')
    Save-BatchResults $script:ResultPath @($script:States | ForEach-Object { $_.Result }) $script:EarlierResults
}

# Reads the chip through the ESP32 bootloader: MAC (which board this is) and PSRAM. $CheckPsram makes nanoff test for
# PSRAM with a test image, which only a board about to be flashed may get.
function Read-ChipIdentity([hashtable] $State, [bool] $CheckPsram) {
    $arguments = @('--platform', 'esp32', '--serialport', $State.Port, '--devicedetails')
    if ($CheckPsram) { $arguments += '--checkpsram' }
    $identity = ConvertFrom-ChipDetails (Invoke-Nanoff 'identify' $arguments @{ port = $State.Port })
    if (-not $identity.Mac) {
        Stop-Step 'identify' "nanoff did not report the chip's MAC on $($State.Port). What to do: update nanoff (dotnet tool update -g nanoff) and check that the board is an ESP32."
    }
    Write-Log "  chip $($identity.Chip), MAC $($identity.Mac), PSRAM $($identity.PsramText)"
    return $identity
}

# The device id of the batch row whose board has $Mac, other than $State's, or $null.
function Find-BoardOwner([hashtable] $State, [string] $Mac) {
    foreach ($other in $script:States) {
        if ($other -ne $State -and $other.Result.mac -and $other.Result.mac -eq $Mac) { return $other.DeviceId }
    }
    return $null
}

# One-cable mode: asks for the row's board on the one port until a board is there that belongs to no other row.
function Wait-Board([hashtable] $State, [int] $Number, [int] $Count, [bool] $CheckPsram) {
    $ask = "[$Number/$Count] Connect the board for $($State.DeviceId) (line $($State.Line)) to $($State.Port), then press Enter"
    while ($true) {
        try { $null = Read-Host $ask }
        catch { Stop-Step 'check' "one-cable mode needs someone at the keyboard to swap the boards ($(Get-ExceptionChain $_.Exception)). What to do: run flash.ps1 in an interactive PowerShell, or give every row its own port." }
        if (-not (Test-PortListed @(Get-SerialPorts 'check') $State.Port)) {
            $ask = "$($State.Port) is not there: plug the board for $($State.DeviceId) in with a data USB cable, then press Enter"
            continue
        }
        $identity = Read-ChipIdentity $State $CheckPsram
        $owner = Find-BoardOwner $State $identity.Mac
        if (-not $owner) { return $identity }
        $ask = "The board on $($State.Port) is $owner's (MAC $($identity.Mac)): connect the board for $($State.DeviceId) instead, then press Enter"
    }
}

# Where an unfinished row continues: the same board (same MAC) resumes after the steps it completed, and its key is
# rotated only when the gateway holds a key the board never got; a different board starts again from the firmware.
function Get-ResumePlan([hashtable] $State, [string] $Mac) {
    $previous = $State.Previous
    $plan = @{ From = 'firmware'; Provision = if ($State.Known) { 'rotate' } else { 'register' }; Note = '' }
    if (-not $previous) { return $plan }
    if ($previous.mac -and $Mac -and $previous.mac -ne $Mac) {
        $plan.Note = "a different board than the one this row started on (MAC $($previous.mac), now $Mac): starting again from the firmware"
        return $plan
    }
    $reached = Get-StepIndex $previous.step
    if ($previous.keyOnDevice -eq 'yes') {
        $plan.Provision = 'none'
        $plan.From = if ($reached -ge (Get-StepIndex 'app')) { $previous.step } else { 'app' }
    }
    elseif ($reached -ge (Get-StepIndex 'register')) {
        $plan.From = 'register'
    }
    if ($plan.From -ne 'firmware') { $plan.Note = "resuming from step '$($plan.From)' (the earlier run stopped at '$($previous.step)')" }
    return $plan
}

# Writes the configuration (and CA certificate) to I:\ through a private temp folder deleted in finally.
function Write-DeviceConfiguration([hashtable] $State, [hashtable] $Registration, $Rules) {
    $folder = [System.IO.Directory]::CreateTempSubdirectory('terminal-flash-')
    try {
        $configFile = Join-Path $folder.FullName 'terminal.json'
        $utf8 = [System.Text.UTF8Encoding]::new($false)
        [System.IO.File]::WriteAllText($configFile, (New-DeviceConfiguration $State $Registration $Rules | ConvertTo-Json -Depth 4), $utf8)

        $files = @([ordered]@{ DestinationFilePath = $ConfigDevicePath; SourceFilePath = $configFile })
        if ($script:CaCertificatePath) {
            $files += [ordered]@{ DestinationFilePath = $CaDevicePath; SourceFilePath = $script:CaCertificatePath }
        }
        $deployFile = Join-Path $folder.FullName 'deploy.json'
        [System.IO.File]::WriteAllText($deployFile, ([ordered]@{ SerialPort = $State.Port; Files = $files } | ConvertTo-Json -Depth 4), $utf8)
        Invoke-FileDeployment 'configure' $deployFile @{ port = $State.Port }
    }
    finally {
        Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction SilentlyContinue -WhatIf:$false
    }
}

# Installs the checked bundle as the device's installed version (flash/Bundle.ps1) through a private temp folder.
function Install-AppBundle([hashtable] $State, [hashtable] $Context) {
    $folder = [System.IO.Directory]::CreateTempSubdirectory('terminal-flash-')
    try {
        $install = New-InstalledVersionFiles $script:AppBundle $folder.FullName
        foreach ($files in $install.Files, $install.LoadList) {
            $deployFile = Join-Path $folder.FullName 'deploy.json'
            [System.IO.File]::WriteAllText($deployFile, ([ordered]@{ SerialPort = $State.Port; Files = @($files) } | ConvertTo-Json -Depth 4), [System.Text.UTF8Encoding]::new($false))
            Invoke-FileDeployment 'app' $deployFile $Context
        }
    }
    finally {
        Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction SilentlyContinue -WhatIf:$false
    }
}

function Invoke-DeviceFlash([hashtable] $State, [int] $Number, [int] $Count, $Rules) {
    $result = $State.Result
    $name = "$($State.DeviceId) on $($State.Port)"
    $script:LogFile = Join-Path $LogDirectory ("{0}-{1:yyyyMMdd-HHmmss}.log" -f $State.DeviceId, (Get-Date))
    $result.log = $script:LogFile
    $result.message = ''
    $context = @{ port = $State.Port; target = $State.Target; image = $script:ImagePath }
    $notes = [System.Collections.Generic.List[string]]::new()
    try {
        Write-Step "== $(if ($State.Line) { "line $($State.Line): " })$name (board $($State.Board), target $($State.Target))" 'White'

        # check: the port, and whether the gateway lets this run register or rotate the device.
        Enter-Step $State 'check'
        $previous = $State.Previous
        $batchOwned = $previous -and $previous.registered -in 'yes', 'attempted'
        if (-not $SkipProvisioning) {
            $State.Known = $script:KnownDevices.ContainsKey($State.DeviceId)
            if ($State.Known -and $script:KnownDevices[$State.DeviceId] -eq 'revoked') {
                Stop-Step 'check' "device $($State.DeviceId) is revoked at the gateway. What to do: give the board a new device id."
            }
            if ($State.Known -and -not $RotateKey -and -not $batchOwned) {
                Stop-Step 'check' "device $($State.DeviceId) is already registered at the gateway. What to do: to re-provision it, run again with -RotateKey (its old key stops working after its first request with the new one)."
            }
            if ($RotateKey -and -not $State.Known) {
                Stop-Step 'check' "device $($State.DeviceId) is not registered at the gateway, so its key cannot be rotated. What to do: run without -RotateKey."
            }
        }
        $flashWanted = -not $SkipFirmware -and (-not $previous -or -not $previous.mac -or (Get-StepIndex $previous.step) -le (Get-StepIndex 'firmware'))
        $checkPsram = $flashWanted -and $State.Board -eq 'wroom'
        if ($WhatIfPreference) {
            if (-not (Test-PortListed $script:PortsAtStart $State.Port)) {
                Stop-Step 'check' "serial port $($State.Port) is not present now. What to do: plug in the board with a data USB cable and check the port name."
            }
        }
        elseif ($script:OneCable) {
            $identity = Wait-Board $State $Number $Count $checkPsram
        }
        else {
            $ports = @(Get-SerialPorts 'check')
            if (-not (Test-PortListed $ports $State.Port)) {
                $available = if ($ports.Count -gt 0) { $ports -join ', ' } else { 'none' }
                Stop-Step 'check' "serial port $($State.Port) is not present (available: $available). What to do: plug in the board with a data USB cable, install the CP210x or CH340 driver if no port appears, and check the port name."
            }
        }

        # identify: which board this is (MAC) and whether it has PSRAM.
        Enter-Step $State 'identify'
        $plan = Get-ResumePlan $State ''
        if (-not $WhatIfPreference) {
            if (-not $script:OneCable) { $identity = Read-ChipIdentity $State $checkPsram }
            $owner = Find-BoardOwner $State $identity.Mac
            if ($owner) {
                Stop-Step 'identify' "the board on $($State.Port) (MAC $($identity.Mac)) is $owner's. What to do: check which board is on which port."
            }
            if ($State.Board -eq 'wroom' -and $identity.Psram -eq 'yes') {
                Stop-Step 'identify' "the board on $($State.Port) has PSRAM ($($identity.PsramText); e.g. ESP32-WROOM-32E-N4R2 or a WROVER): its GPIO16/17 belong to the PSRAM, where the wroom profile puts the scanner. What to do: flash it with -Board wrover (or a board column 'wrover'), which moves the scanner to GPIO27/26 (hardware/README.md)."
            }
            if ($State.Board -eq 'wroom' -and $identity.Psram -eq 'undetermined') { $notes.Add('PSRAM undetermined') }
            $plan = Get-ResumePlan $State $identity.Mac
            if ($previous -and $previous.mac -ne $identity.Mac) { $result.keyOnDevice = '' }
            $result.mac = $identity.Mac
            if ($script:AppBundle) {
                $State.TakesUpdates = Test-TakesUpdates $State.Target $identity.FlashMB
                if (-not $State.TakesUpdates -and $State.Target -like '*PSRAM*') {
                    $flashText = if ($identity.FlashMB) { "$($identity.FlashMB) MB" } else { 'an unknown size of' }
                    $notes.Add("no updates: $flashText flash (they need $UpdatesMinFlashMB MB)")
                    Write-Step "  $flashText flash: this board takes no updates (they need PSRAM and $UpdatesMinFlashMB MB); it gets the whole application image" 'Yellow'
                }
            }
        }
        if ($plan.Note) { Write-Step "  $($plan.Note)" 'Yellow'; $notes.Add($plan.Note) }
        $from = Get-StepIndex $plan.From

        $step = 'firmware'
        $erase = if ($MassErase) { ' after erasing the whole flash' } else { '' }
        if (-not $SkipFirmware -and $from -le (Get-StepIndex $step) -and $PSCmdlet.ShouldProcess($State.Port, "Flash nanoFramework firmware $($State.Target)$erase")) {
            Enter-Step $State $step
            Write-Step "Flashing firmware $($State.Target) to $($State.Port)$erase (hold BOOT if it does not start)..."
            $arguments = @('--update', '--target', $State.Target, '--serialport', $State.Port)
            if ($MassErase) { $arguments += '--masserase'; $result.keyOnDevice = '' }
            $null = Invoke-Nanoff $step $arguments $context
        }

        $registration = $null
        $step = 'register'
        $rotate = $plan.Provision -eq 'rotate'
        $action = if ($rotate) { 'Rotate the device key' } else { 'Register the device and receive its key' }
        $provision = -not $SkipProvisioning -and $plan.Provision -ne 'none'
        if ($provision -and $PSCmdlet.ShouldProcess("device $($State.DeviceId) at $($script:AdminBase)", $action)) {
            Enter-Step $State $step
            Write-Step "$action at the gateway..."
            $result.registered = 'attempted'
            $registration = Register-Device @{ DeviceId = $State.DeviceId; Currency = $State.Currency } $rotate
            $result.registered = 'yes'
            Write-Log "  key version $($registration.KeyVersion) received"
        }

        $step = 'configure'
        if ($provision -and $PSCmdlet.ShouldProcess($State.Port, "Write $ConfigDevicePath (Wi-Fi, gateway URL, device key)" + $(if ($script:CaCertificatePath) { " and $CaDevicePath" } else { '' }))) {
            Enter-Step $State $step
            Write-Step "Writing the configuration to $ConfigDevicePath..."
            Write-DeviceConfiguration $State $registration $Rules
            $result.keyOnDevice = 'yes'
        }

        $step = 'app'
        $updates = $State.ContainsKey('TakesUpdates') -and $State.TakesUpdates
        $what = if ($updates) { "Install bundle $($script:AppBundle.Version) on $InstalledDeviceFolder and deploy the boot program image $($script:BootImagePath)" }
        elseif ($script:AppBundle -and $WhatIfPreference -and $State.Target -like '*PSRAM*') { "Deploy application image $($script:ImagePath), or with $UpdatesMinFlashMB MB flash install bundle $($script:AppBundle.Version) and the boot program image $($script:BootImagePath)" }
        else { "Deploy application image $($script:ImagePath)" }
        if (-not $SkipApp -and $from -le (Get-StepIndex $step) -and $PSCmdlet.ShouldProcess($State.Port, $what)) {
            Enter-Step $State $step
            if ($updates) {
                Write-Step "Installing version $($script:AppBundle.Version) ($($script:AppBundle.Files.Count) files) on $InstalledDeviceFolder..."
                Install-AppBundle $State $context
                Write-Step 'Deploying the boot program image...'
                $null = Invoke-Nanoff $step @('--nanodevice', '--deploy', '--serialport', $State.Port, '--image', $script:BootImagePath) $context
                $notes.Add("takes updates, version $($script:AppBundle.Version) installed")
            }
            else {
                Write-Step 'Deploying the application image...'
                $null = Invoke-Nanoff $step @('--nanodevice', '--deploy', '--serialport', $State.Port, '--image', $script:ImagePath) $context
            }
        }

        $step = 'verify'
        if (-not $SkipVerify -and $from -le (Get-StepIndex $step) -and $PSCmdlet.ShouldProcess($State.Port, "Read the device details and compare the firmware target with $($State.Target)")) {
            Enter-Step $State $step
            Write-Step 'Verifying the device...'
            $running = ConvertFrom-DeviceTarget (Invoke-Nanoff $step @('--nanodevice', '--devicedetails', '--serialport', $State.Port) $context)
            if (-not $running) {
                Stop-Step $step "the device details name no firmware target. What to do: press EN/RESET and run again; the log has nanoff's output."
            }
            if ($running -ne $State.Target) {
                Stop-Step $step "the device runs firmware target $running, but this device needs $($State.Target). What to do: flash the firmware again (without -SkipFirmware), or give the right -Target."
            }
            $notes.Add("target $running")
        }

        $step = 'selftest'
        if ($SelfTest -and $PSCmdlet.ShouldProcess($State.Port, "Run the self-test over the host link $HostLinkPort")) {
            Enter-Step $State $step
            Write-Step 'Running the self-test over the host link...'
            foreach ($note in (Invoke-SelfTest $HostLinkPort $HostLinkBaud $SelfTestTimeoutSeconds)) { $notes.Add($note) }
        }

        if ($WhatIfPreference) {
            $result.status = 'WHATIF'
            $result.step = ''
        }
        else {
            $result.status = 'OK'
            $result.step = 'done'
        }
        $result.message = $notes -join '; '
        Write-Step "$name`: $($result.status)" 'Green'
    }
    catch {
        $exception = $_.Exception
        $result.status = if ($exception.Data['FlashInterrupted']) { 'INTERRUPTED' } else { 'FAILED' }
        if ($exception.Data['FlashStep']) { $result.step = $exception.Data['FlashStep'] }
        $result.message = Protect-Text $(if ($exception.Data['FlashStep']) { $exception.Message } else { Get-ExceptionChain $exception })
        if ($result.status -eq 'FAILED') {
            if ($result.step -eq 'configure' -and $result.registered -eq 'yes') {
                $result.message += $(if ($script:Batch) { ' The device is registered but did not get its key: running the same command again resumes it with a new key.' }
                    else { ' The device is registered but did not get its key: run again with -SkipFirmware -RotateKey.' })
            }
            Write-Step "$name FAILED at step '$($result.step)': $($result.message)" 'Red'
        }
    }
    finally {
        $result.updated = (Get-Date).ToString('s')
        Save-BatchResults $script:ResultPath @($script:States | ForEach-Object { $_.Result }) $script:EarlierResults
    }
}

# What to do after Ctrl+C, from the state the interrupted device was left in.
function Get-InterruptAdvice([hashtable] $State) {
    $result = $State.Result
    $keyLost = $result.registered -in 'yes', 'attempted' -and $result.keyOnDevice -ne 'yes'
    if ($script:Batch) {
        $what = if ($keyLost) { "$($State.DeviceId) is registered at the gateway but its board never got the key; the rerun rotates it" }
        else { "$($State.DeviceId) resumes from step '$($result.step)'" }
        return "What to do: run the same command again: devices done are skipped and $what (result file $($script:ResultPath))."
    }
    if ($keyLost) { return "$($State.DeviceId) is registered at the gateway but its board never got the key. What to do: run again with -SkipFirmware -RotateKey." }
    if ($result.keyOnDevice -eq 'yes') { return "$($State.DeviceId) has its configuration. What to do: run again with -SkipFirmware -SkipProvisioning to deploy and verify." }
    return 'What to do: run the same command again.'
}

# ---- Main ---------------------------------------------------------------------------------------------------------

function Invoke-Main {
    $script:Batch = $PSCmdlet.ParameterSetName -eq 'Batch'
    $script:OneCable = $script:Batch -and [bool] $Port
    $script:States = @()
    $script:EarlierResults = @{}
    $script:ResultPath = $null
    try {
        $rules = Read-ConfigRules $RulesPath
        $devices = Get-Devices $rules
        Initialize-Run $rules $devices
        Test-Configurations $devices $rules
    }
    catch {
        Write-Host "flash.ps1: $(Protect-Text $_.Exception.Message)" -ForegroundColor Red
        Write-Verbose $_.ScriptStackTrace
        return 2
    }

    $null = New-Item -ItemType Directory -Force -Path $LogDirectory -WhatIf:$false
    if ($script:Batch) {
        $script:ResultPath = if ($ResultCsv) { $ResultCsv } else {
            Join-Path (Split-Path -Parent (Resolve-Path -LiteralPath $DeviceCsv).ProviderPath) ([System.IO.Path]::GetFileNameWithoutExtension($DeviceCsv) + '.results.csv')
        }
        $script:EarlierResults = Read-BatchResults $script:ResultPath
        if ($script:EarlierResults.Count -gt 0) { Write-Host "Resuming with the results of the earlier run in $($script:ResultPath)" }
        if ($WhatIfPreference) { $script:ResultPath = $null }
    }

    $script:KnownDevices = @{}
    $script:PortsAtStart = @()
    $script:Http = $null
    if ($SelfTest -or $WhatIfPreference) {
        try { $script:PortsAtStart = @(Get-SerialPorts 'check') }
        catch {
            Write-Host "flash.ps1: $(Protect-Text $_.Exception.Message)" -ForegroundColor Red
            return 2
        }
        if ($SelfTest -and -not (Test-PortListed $script:PortsAtStart $HostLinkPort)) {
            Write-Host "flash.ps1: the host link port $HostLinkPort is not present (available: $(if ($script:PortsAtStart) { $script:PortsAtStart -join ', ' } else { 'none' })). What to do: plug in the USB-serial adapter wired to GPIO4/GPIO5 and check -HostLinkPort." -ForegroundColor Red
            return 2
        }
    }
    try {
        if (-not $SkipProvisioning) {
            $script:Http = New-GatewayClient $script:CaCertificatePath
            Write-Step (Test-DeviceGateway) 'DarkGray'
            $script:KnownDevices = Get-GatewayDevices
            Write-Step "the admin API at $($script:AdminBase) accepted the token ($($script:KnownDevices.Count) device(s) registered)" 'DarkGray'
        }
    }
    catch {
        Write-Host "flash.ps1: $(Protect-Text $_.Exception.Message)" -ForegroundColor Red
        return 3
    }

    $script:States = @(foreach ($device in $devices) {
            $state = $device.Clone()
            $state.Previous = $script:EarlierResults[$device.DeviceId]
            $state.Known = $false
            $state.Result = New-ResultRow $device.Line $device.DeviceId $device.Port
            if ($state.Previous) {
                foreach ($column in 'mac', 'registered', 'keyOnDevice') { $state.Result.$column = $state.Previous.$column }
                if ($state.Previous.status -eq 'OK') {
                    foreach ($column in $ResultColumns) { $state.Result.$column = $state.Previous.$column }
                    $state.Result.line = $device.Line
                    $state.DoneEarlier = $true
                }
            }
            $state
        })

    $crash = $null
    try {
        $pending = @($script:States | Where-Object { -not $_.ContainsKey('DoneEarlier') })
        foreach ($state in $script:States | Where-Object { $_.ContainsKey('DoneEarlier') }) {
            Write-Host "line $($state.Line): $($state.DeviceId) was done in an earlier run: skipped" -ForegroundColor DarkGray
        }
        for ($i = 0; $i -lt $pending.Count; $i++) {
            Invoke-DeviceFlash $pending[$i] ($i + 1) $pending.Count $rules
            if ($pending[$i].Result.status -eq 'INTERRUPTED') { break }
        }
    }
    catch {
        $crash = $_
    }
    finally {
        $interrupted = $null
        foreach ($state in $script:States) {
            if ($state.Result.status -in 'RUNNING', 'INTERRUPTED') {
                $state.Result.status = if ($crash) { 'FAILED' } else { 'INTERRUPTED' }
                $state.Result.message = if ($crash) { "flash.ps1 stopped: $(Get-ExceptionChain $crash.Exception)" } else { "interrupted (Ctrl+C) during step '$($state.Result.step)'" }
                $state.Result.updated = (Get-Date).ToString('s')
                if (-not $crash) { $interrupted = $state }
            }
        }
        if ($interrupted) {
            $advice = Get-InterruptAdvice $interrupted
            $interrupted.Result.message += ". $advice"
            Write-Log "interrupted (Ctrl+C) during step '$($interrupted.Result.step)'. $advice"
        }
        Save-BatchResults $script:ResultPath @($script:States | ForEach-Object { $_.Result }) $script:EarlierResults
        $script:LogFile = $null
        if ($script:Http) { $script:Http.Dispose() }

        $results = @($script:States | ForEach-Object {
                $status = if ($_.ContainsKey('DoneEarlier')) { 'done before' } else { $_.Result.status }
                $shown = if ($status -eq '') { 'NOT RUN' } else { $status }
                [pscustomobject]@{ Line = $_.Line; DeviceId = $_.DeviceId; Port = $_.Port; Status = $shown; Step = $_.Result.step; Message = $_.Result.message; Mac = $_.Result.mac; Log = $_.Result.log }
            })
        Write-Host ''
        foreach ($line in (Format-Summary $results (Get-ConsoleWidth))) { Write-Host (Protect-Text $line) }
        $failed = @($results | Where-Object Status -in 'FAILED', 'INTERRUPTED').Count
        $earlier = @($results | Where-Object Status -eq 'done before').Count
        if ($WhatIfPreference) {
            Write-Host "what-if: nothing was changed; $failed device(s) would stop. Logs: $LogDirectory"
        }
        else {
            $ok = @($results | Where-Object Status -eq 'OK').Count
            Write-Host ("{0} device(s): {1} ok, {2} done before, {3} failed or interrupted, {4} not run. Logs: {5}" -f $results.Count, $ok, $earlier, $failed, ($results.Count - $ok - $earlier - $failed), $LogDirectory)
        }
        if ($script:ResultPath) { Write-Host "Results: $($script:ResultPath)" }
        if ($interrupted) {
            Write-Host "Interrupted during step '$($interrupted.Result.step)' of $($interrupted.DeviceId). $(Get-InterruptAdvice $interrupted)" -ForegroundColor Yellow
        }
        if ($crash) { Write-Host "flash.ps1: $(Protect-Text (Get-ExceptionChain $crash.Exception))" -ForegroundColor Red }
    }

    if ($PassThru) { $results | Write-Output }
    if ($crash) { return 1 }
    if (@($results | Where-Object Status -eq 'INTERRUPTED').Count -gt 0) { return 130 }
    return $(if ($failed -gt 0) { 1 } else { 0 })
}

# True when this PowerShell process was started to run this script (pwsh -File flash.ps1 or pwsh ./flash.ps1), not a
# technician's interactive session that called it.
function Test-OwnProcess {
    foreach ($argument in [Environment]::GetCommandLineArgs() | Select-Object -Skip 1) {
        try { if ([System.IO.Path]::GetFullPath($argument) -eq $PSCommandPath) { return $true } } catch { }
    }
    return $false
}

$script:Bound = $PSBoundParameters
$exitCode = 0
$finished = $false
try {
    $results = Invoke-Main | ForEach-Object {
        if ($_ -is [int]) { $exitCode = $_ } else { $_ }
    }
    $results
    $finished = $true
}
finally {
    # Ctrl+C that reached PowerShell stops the pipeline: Invoke-Main's finally has recorded the row and printed the
    # advice, but "exit" is ignored while stopping, so the process is told its exit code (130, as for SIGINT) directly.
    # In an interactive session that would close the window: there the summary alone tells what happened.
    if (-not $finished -and (Test-OwnProcess)) { $Host.SetShouldExit(130) }
}
exit $exitCode
