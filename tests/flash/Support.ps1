# Shared set-up of the Pester tests of flash.ps1, dot-sourced in each test file's BeforeAll: a fake nanoff on PATH
# (fake-nanoff.sh), a fake gateway admin API on loopback (FakeGateway.psm1), a real CA certificate, an image, and
# helpers that run flash.ps1 in this process or, as a technician runs it, in a separate one.
# The published firmware configuration check (flash/config-check, see .ci/pester.sh) must exist.

Import-Module (Join-Path $PSScriptRoot 'FakeGateway.psm1') -Force

$script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:Flash = Join-Path $script:Repo 'flash.ps1'
$script:Token = 'adm-SECRET-7f3a9c0d'
$script:WifiPass = 'wifi-SECRET-51c2e8'

$fakeBin = Join-Path $TestDrive 'bin'
$null = New-Item -ItemType Directory -Force -Path $fakeBin
Copy-Item (Join-Path $PSScriptRoot 'fake-nanoff.sh') (Join-Path $fakeBin 'nanoff')
[System.IO.File]::SetUnixFileMode((Join-Path $fakeBin 'nanoff'), [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
$script:OriginalPath = $env:PATH
$env:PATH = $fakeBin + [System.IO.Path]::PathSeparator + $env:PATH

$script:Image = Join-Path $TestDrive 'Terminal.Esp32.bin'
[System.IO.File]::WriteAllBytes($script:Image, [byte[]](1..64))
$script:BootImage = Join-Path $TestDrive 'Terminal.Esp32.Boot.bin'
[System.IO.File]::WriteAllBytes($script:BootImage, [byte[]](65..96))

# A bundle as Terminal.Bundler writes it: the .pe files and manifest.json with each one's size and SHA-256 (what a
# board that takes updates gets as its installed version, tests/flash/Updates.Tests.ps1).
function script:New-TestBundle([string] $Folder, [string] $Version = '1.0.0') {
    $null = New-Item -ItemType Directory -Force -Path $Folder
    $files = foreach ($name in 'Terminal.Core.pe', 'Terminal.Esp32.pe') {
        $bytes = [byte[]]::new(3000 + $name.Length)
        [System.Random]::new($name.Length).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes((Join-Path $Folder $name), $bytes)
        [ordered]@{ name = $name; size = $bytes.Length; sha256 = [Convert]::ToHexStringLower([System.Security.Cryptography.SHA256]::HashData($bytes)) }
    }
    $manifest = [ordered]@{
        format = 1; version = $Version; entry = 'Terminal.Esp32.Program.LoaderMain'
        requires = @([ordered]@{ assembly = 'mscorlib'; version = '1.17.11.0' }); files = @($files)
    }
    Set-Content -LiteralPath (Join-Path $Folder 'manifest.json') -Value ($manifest | ConvertTo-Json -Compress -Depth 4) -NoNewline
    return $Folder
}

$script:Bundle = New-TestBundle (Join-Path $TestDrive 'bundle')

function script:Get-FreePort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    return $port
}

# A self-signed CA as PEM (what a gateway with a private CA hands out).
function script:New-TestCa([string] $Path, [string] $Name = 'Flash Test CA') {
    $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$Name", $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddYears(1))
    Set-Content -LiteralPath $Path -Value $certificate.ExportCertificatePem()
    return $Path
}

$script:Pem = New-TestCa (Join-Path $TestDrive 'gateway-ca.pem')
$script:Gateway = Start-FakeGateway -Token $script:Token
# The device-facing URL: nothing listens there, as a shop gateway the test PC cannot reach.
$script:DeviceUrl = "https://127.0.0.1:$(Get-FreePort)"

function script:Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

# The common parameters with some replaced ($null removes one; a plain token or password becomes a SecureString).
function script:With([hashtable] $Changes, [hashtable] $More = @{}) {
    $parameters = $script:Common.Clone()
    foreach ($change in $Changes, $More) {
        foreach ($key in $change.Keys) {
            if ($null -eq $change[$key]) { $parameters.Remove($key) }
            elseif ($key -in 'AdminToken', 'WifiPassword' -and $change[$key] -is [string]) { $parameters[$key] = Secure $change[$key] }
            else { $parameters[$key] = $change[$key] }
        }
    }
    return $parameters
}

# A fresh run: its own folders, the fake nanoff's state, the fake gateway with T0409 registered.
function script:Reset-FlashTest {
    $run = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $run
    $script:Run = $run
    $script:Logs = Join-Path $run 'logs'
    $script:Capture = Join-Path $run 'device'
    $script:Boards = Join-Path $run 'boards'
    $env:FAKE_NANOFF_LOG = Join-Path $run 'nanoff-calls.txt'
    $env:FAKE_NANOFF_PORTS = 'COM3 COM4 COM5 COM7'
    $env:FAKE_NANOFF_CAPTURE = $script:Capture
    $env:FAKE_NANOFF_BOARDS = $script:Boards
    Remove-Item Env:FAKE_NANOFF_FAIL, Env:FAKE_NANOFF_HANG, Env:FAKE_NANOFF_REFUSE, Env:TERMINAL_ADMIN_TOKEN, Env:TERMINAL_WIFI_PASSWORD -ErrorAction SilentlyContinue

    Reset-FakeGateway $script:Gateway -RecordFile (Join-Path $run 'gateway.jsonl') -ExistingDevices @('T0409')
    $script:Common = @{
        GatewayUrl    = $script:DeviceUrl
        AdminUrl      = $script:Gateway.Url
        AdminToken    = Secure $script:Token
        WifiSsid      = 'shop-wifi'
        WifiPassword  = Secure $script:WifiPass
        Currency      = 'USD'
        Image         = $script:Image
        BootImage     = $script:BootImage
        Bundle        = $script:Bundle
        CaCertificate = $script:Pem
        LogDirectory  = $script:Logs
    }
}

# The board on a port of the fake nanoff: its MAC and PSRAM ("8MB", "not available", "undetermined").
function script:Set-Board([string] $Port, [string] $Mac, [string] $Psram = 'not available') {
    $folder = Join-Path $script:Boards (Split-Path -Leaf $Port)
    $null = New-Item -ItemType Directory -Force -Path $folder
    Set-Content -LiteralPath (Join-Path $folder 'mac') -Value $Mac -NoNewline
    Set-Content -LiteralPath (Join-Path $folder 'psram') -Value $Psram -NoNewline
    Remove-Item -LiteralPath (Join-Path $folder 'target') -ErrorAction SilentlyContinue
}

function script:New-DeviceCsv([string[]] $Lines, [string] $Name = 'devices.csv') {
    $path = Join-Path $script:Run $Name
    [System.IO.File]::WriteAllLines($path, $Lines, [System.Text.UTF8Encoding]::new($false))
    return $path
}

# Runs flash.ps1 in this process with every output stream captured.
function script:Invoke-Flash([hashtable] $Parameters) {
    $global:LASTEXITCODE = 0
    $all = & $script:Flash @Parameters *>&1
    [pscustomobject]@{
        Exit    = $LASTEXITCODE
        Output  = ($all | Out-String -Width 400)
        Results = @($all | Where-Object { $_ -is [pscustomobject] -and $_.PSObject.Properties['DeviceId'] })
    }
}

# pwsh itself, for runs in a separate process.
function script:Get-PwshPath {
    $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path -LiteralPath $apphost) { return $apphost }
    return $null
}

# Starts flash.ps1 as a technician does, in a separate process in its own session (so that a test can press Ctrl+C:
# SIGINT to the whole process group, as a terminal sends it); secrets through the environment.
function script:Start-FlashProcess([string[]] $Arguments) {
    $start = [System.Diagnostics.ProcessStartInfo]::new('setsid')
    foreach ($argument in @((Get-PwshPath), '-NoProfile', '-File', $script:Flash) + $Arguments) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $start.Environment['TERMINAL_ADMIN_TOKEN'] = $script:Token
    $start.Environment['TERMINAL_WIFI_PASSWORD'] = $script:WifiPass
    $start.Environment['NO_COLOR'] = '1'
    $process = [System.Diagnostics.Process]::Start($start)
    $output = [System.Text.StringBuilder]::new()
    $reader = { param($stream, $sink) while ($null -ne ($line = $stream.ReadLine())) { $null = $sink.AppendLine($line) } }
    $jobs = @(
        (Start-ThreadJob -ScriptBlock $reader -ArgumentList $process.StandardOutput, $output),
        (Start-ThreadJob -ScriptBlock $reader -ArgumentList $process.StandardError, $output)
    )
    return [pscustomobject]@{ Process = $process; Output = $output; Readers = $jobs }
}

# Waits for the process to end (at most $Seconds) and returns @{ Exit; Output }.
function script:Wait-FlashProcess($Started, [int] $Seconds = 60) {
    if (-not $Started.Process.WaitForExit($Seconds * 1000)) {
        $Started.Process.Kill($true)
        throw "flash.ps1 did not end within $Seconds s: $($Started.Output.ToString())"
    }
    $null = $Started.Readers | Wait-Job -Timeout 10
    $Started.Readers | Remove-Job -Force
    return [pscustomobject]@{ Exit = $Started.Process.ExitCode; Output = $Started.Output.ToString() }
}

# The arguments of a separate-process run with the common parameters (secrets come from the environment).
function script:Get-ProcessArguments([hashtable] $Extra) {
    $arguments = [System.Collections.Generic.List[string]]::new()
    foreach ($entry in (With @{ AdminToken = $null; WifiPassword = $null } $Extra).GetEnumerator()) {
        if ($entry.Value -is [switch] -or $entry.Value -is [bool]) { if ($entry.Value) { $arguments.Add("-$($entry.Key)") } }
        else { $arguments.Add("-$($entry.Key)"); $arguments.Add([string] $entry.Value) }
    }
    return $arguments.ToArray()
}

function script:Get-NanoffCalls {
    if (-not (Test-Path -LiteralPath $env:FAKE_NANOFF_LOG)) { return @() }
    return @(Get-Content -LiteralPath $env:FAKE_NANOFF_LOG)
}

# The nanoff calls that name a port (the configuration's --filedeployment names it inside its JSON: see Get-DeviceConfig).
function script:Get-PortCalls([string] $Port) {
    return @(Get-NanoffCalls | Where-Object { $_ -like "*--serialport $Port" -or $_ -like "*--serialport $Port *" })
}

# The terminal.json the fake device on $Port received.
function script:Get-DeviceConfig([string] $Port = 'COM7') {
    Get-Content -LiteralPath (Join-Path $script:Capture "$(Split-Path -Leaf $Port)/terminal.json") -Raw | ConvertFrom-Json -AsHashtable
}

# Every file the run left behind that could hold a secret: logs, result files and the nanoff argument log.
function script:Get-WrittenText {
    $files = @(Get-ChildItem -LiteralPath $script:Run -File -Recurse -Include '*.log', '*.csv', 'nanoff-calls.txt' -ErrorAction SilentlyContinue)
    return ($files | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
}

function script:Remove-FlashTestSupport {
    Stop-FakeGateway $script:Gateway
    $env:PATH = $script:OriginalPath
    Remove-Item Env:FAKE_NANOFF_LOG, Env:FAKE_NANOFF_PORTS, Env:FAKE_NANOFF_CAPTURE, Env:FAKE_NANOFF_FAIL, Env:FAKE_NANOFF_HANG, Env:FAKE_NANOFF_BOARDS, Env:FAKE_NANOFF_REFUSE -ErrorAction SilentlyContinue
}
