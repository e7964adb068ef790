#Requires -Version 7.0
# Pester 5 tests of flash.ps1 against a fake nanoff on PATH (fake-nanoff.sh) and a fake gateway admin API
# (FakeGateway.psm1) on loopback. Run: Invoke-Pester tests/flash (see .ci/pester.sh).
# The fake nanoff is a POSIX shell script: on Windows these tests are skipped.

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FakeGateway.psm1') -Force

    $script:Flash = (Resolve-Path (Join-Path $PSScriptRoot '../../flash.ps1')).ProviderPath
    $script:Token = 'adm-SECRET-7f3a9c0d'
    $script:WifiPass = 'wifi-SECRET-51c2e8'

    $fakeBin = Join-Path $TestDrive 'bin'
    $null = New-Item -ItemType Directory -Path $fakeBin
    Copy-Item (Join-Path $PSScriptRoot 'fake-nanoff.sh') (Join-Path $fakeBin 'nanoff')
    [System.IO.File]::SetUnixFileMode((Join-Path $fakeBin 'nanoff'), [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    $script:OriginalPath = $env:PATH
    $env:PATH = $fakeBin + [System.IO.Path]::PathSeparator + $env:PATH

    $script:Image = Join-Path $TestDrive 'Terminal.Esp32.bin'
    [System.IO.File]::WriteAllBytes($script:Image, [byte[]](1..64))
    $script:Pem = Join-Path $TestDrive 'gateway-ca.pem'
    Set-Content -LiteralPath $script:Pem -Value "-----BEGIN CERTIFICATE-----`nMIIBfake`n-----END CERTIFICATE-----"

    $script:Gateway = Start-FakeGateway -Token $script:Token

    function script:Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }

    # The common parameters with some replaced ($null removes one).
    function script:With([hashtable] $Changes, [hashtable] $More = @{}) {
        $parameters = $script:Common.Clone()
        foreach ($change in $Changes, $More) {
            foreach ($key in $change.Keys) {
                if ($null -eq $change[$key]) { $parameters.Remove($key) } else { $parameters[$key] = $change[$key] }
            }
        }
        return $parameters
    }

    # pwsh itself, for runs in a separate process (as a technician runs the script).
    function script:Invoke-Pwsh([string[]] $Arguments) {
        $apphost = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        if (Test-Path -LiteralPath $apphost) { & $apphost @Arguments 2>&1 }
        else { & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') @Arguments 2>&1 }
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

    function script:Get-NanoffCalls {
        if (-not (Test-Path -LiteralPath $env:FAKE_NANOFF_LOG)) { return @() }
        return @(Get-Content -LiteralPath $env:FAKE_NANOFF_LOG)
    }

    # Every file the run left behind that could hold a secret: logs and the nanoff argument log.
    function script:Get-WrittenText {
        $files = @(Get-ChildItem -LiteralPath $script:Logs -File -Recurse -ErrorAction SilentlyContinue) +
            @(Get-Item -LiteralPath $env:FAKE_NANOFF_LOG -ErrorAction SilentlyContinue)
        return ($files | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
    }
}

AfterAll {
    Stop-FakeGateway $script:Gateway
    $env:PATH = $script:OriginalPath
    Remove-Item Env:FAKE_NANOFF_LOG, Env:FAKE_NANOFF_PORTS, Env:FAKE_NANOFF_CAPTURE, Env:FAKE_NANOFF_FAIL -ErrorAction SilentlyContinue
}

Describe 'flash.ps1' -Skip:$NoPosixShell {
    BeforeEach {
        $run = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $run
        $script:Logs = Join-Path $run 'logs'
        $script:Capture = Join-Path $run 'device'
        $env:FAKE_NANOFF_LOG = Join-Path $run 'nanoff-calls.txt'
        $env:FAKE_NANOFF_PORTS = 'COM3 COM4 COM5 COM7'
        $env:FAKE_NANOFF_CAPTURE = $script:Capture
        Remove-Item Env:FAKE_NANOFF_FAIL, Env:TERMINAL_ADMIN_TOKEN, Env:TERMINAL_WIFI_PASSWORD -ErrorAction SilentlyContinue

        Reset-FakeGateway $script:Gateway -RecordFile (Join-Path $run 'gateway.jsonl') -ExistingDevices @('T0409')
        $script:Common = @{
            GatewayUrl    = $script:Gateway.Url
            AdminToken    = Secure $script:Token
            WifiSsid      = 'shop-wifi'
            WifiPassword  = Secure $script:WifiPass
            Currency      = 'USD'
            Image         = $script:Image
            CaCertificate = $script:Pem
            LogDirectory  = $script:Logs
        }
    }

    Context 'parameter validation' {
        It 'refuses <Name> at binding, before any nanoff or HTTP call' -ForEach @(
            @{ Name = 'a port that is not a serial port'; Changes = @{ Port = 'LPT1' } }
            @{ Name = 'a device id with a dash'; Changes = @{ DeviceId = 'T-01' } }
            @{ Name = 'a lower-case currency'; Changes = @{ Currency = 'usd' } }
            @{ Name = 'an unknown board'; Changes = @{ Board = 'esp8266' } }
            @{ Name = 'a display name with a quote'; Changes = @{ DisplayName = 'Till "A"' } }
        ) {
            $parameters = With @{ Port = 'COM7'; DeviceId = 'T0001' } $Changes

            { & $script:Flash @parameters } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'refuses <Name> with exit code 2 and a plain message, before any nanoff or HTTP call' -ForEach @(
            @{ Name = 'a plain-http gateway that is not localhost'; Changes = @{ GatewayUrl = 'http://gw.example.com' }; Message = 'must use https' }
            @{ Name = 'a missing application image'; Changes = @{ Image = '/no/such/app.bin' }; Message = "application image '/no/such/app.bin' not found" }
            @{ Name = 'a missing admin token'; Changes = @{ AdminToken = $null }; Message = 'give -AdminToken' }
            @{ Name = 'a missing Wi-Fi password'; Changes = @{ WifiPassword = $null }; Message = 'give -WifiPassword' }
            @{ Name = 'a CA file that is not PEM'; Changes = @{ CaCertificate = (Join-Path $PSScriptRoot 'fake-nanoff.sh') }; Message = 'is not a PEM certificate file' }
            @{ Name = 'a missing currency'; Changes = @{ Currency = $null }; Message = 'must be an ISO 4217 code' }
            @{ Name = 'a self-test without a host link port'; Changes = @{ SelfTest = $true }; Message = 'give -HostLinkPort with -SelfTest' }
        ) {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001' } $Changes)

            $result.Exit | Should -Be 2
            $result.Output | Should -BeLike "*$Message*"
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'checks every CSV row before doing anything, naming the line' {
            $csv = Join-Path $TestDrive 'bad.csv'
            Set-Content -LiteralPath $csv -Value "port,deviceId`nCOM3,T0101`nCOM3,T0102`nCOM5,T 03"

            $result = Invoke-Flash (With (@{ DeviceCsv = $csv }))

            $result.Exit | Should -Be 2
            $result.Output | Should -BeLike "*line 4: deviceId 'T 03' must be 1 to 32 letters and digits*"
            $result.Output | Should -BeLike '*port COM3 appears more than once*'
            Get-NanoffCalls | Should -BeNullOrEmpty
        }
    }

    Context '-WhatIf' {
        It 'changes nothing: no nanoff call, no HTTP call, and says what it would do' {
            # A separate process, as a technician runs it ("What if:" lines go to the host, not to a stream),
            # with the secrets in the environment.
            $env:TERMINAL_ADMIN_TOKEN = $script:Token
            $env:TERMINAL_WIFI_PASSWORD = $script:WifiPass
            $output = Invoke-Pwsh @('-NoProfile', '-NonInteractive', '-File', $script:Flash, '-Port', 'COM7', '-DeviceId', 'T0001',
                '-Currency', 'USD', '-GatewayUrl', $script:Gateway.Url, '-WifiSsid', 'shop-wifi', '-Image', $script:Image,
                '-CaCertificate', $script:Pem, '-LogDirectory', $script:Logs, '-MassErase', '-WhatIf') | Out-String
            $exit = $LASTEXITCODE

            $exit | Should -Be 0 -Because $output
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
            Test-Path -LiteralPath $script:Capture | Should -BeFalse
            foreach ($action in 'Flash nanoFramework firmware ESP32_REV3 after erasing the whole flash', 'Register the device',
                'Write I:\terminal.json', 'Deploy application image', 'Read the device details') {
                $output | Should -BeLike "*What if: *$action*"
            }
            $output | Should -BeLike '*what-if: nothing was changed*'
            $output | Should -Not -BeLike '*What if: *Add Content*' -Because 'the log is written even in a what-if run'
            foreach ($secret in $script:Token, $script:WifiPass) {
                $output | Should -Not -BeLike "*$secret*"
                Get-WrittenText | Should -Not -BeLike "*$secret*"
            }
        }
    }

    Context 'one device' {
        It 'runs exactly these nanoff command lines, in this order' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; DisplayName = 'Counter 1' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $calls = Get-NanoffCalls
            $calls.Count | Should -Be 5
            $calls[0] | Should -BeExactly '--listports'
            $calls[1] | Should -BeExactly '--update --target ESP32_REV3 --serialport COM7'
            $calls[2] | Should -Match '^--filedeployment \S+[/\\]terminal-flash-\w+[/\\]deploy\.json$'
            $calls[3] | Should -BeExactly "--nanodevice --deploy --serialport COM7 --image $script:Image"
            $calls[4] | Should -BeExactly '--nanodevice --devicedetails --serialport COM7'
        }

        It 'uses the board profile target, -Target and -MassErase on the firmware line' -ForEach @(
            @{ Extra = @{ Board = 'wrover' }; Line = '--update --target ESP32_PSRAM_REV3 --serialport COM7' }
            @{ Extra = @{ Board = 'wrover'; MassErase = $true }; Line = '--update --target ESP32_PSRAM_REV3 --serialport COM7 --masserase' }
            @{ Extra = @{ Target = 'ESP32_REV0' }; Line = '--update --target ESP32_REV0 --serialport COM7' }
        ) {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001' } $Extra)

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-NanoffCalls)[1] | Should -BeExactly $Line
        }

        It 'registers the device with the admin token and writes the configuration and CA certificate to I:' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; DisplayName = 'Counter 1' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $requests = Get-FakeGatewayRequests $script:Gateway
            $requests.Count | Should -Be 2
            $requests[0].method + ' ' + $requests[0].path | Should -Be 'GET /admin/devices'
            $requests[1].method + ' ' + $requests[1].path | Should -Be 'POST /admin/devices'
            $requests | ForEach-Object { $_.authorized | Should -BeTrue }
            $registration = $requests[1].body | ConvertFrom-Json
            $registration.deviceId | Should -Be 'T0001'
            $registration.currencies | Should -Be @('USD')

            $deployment = Get-Content -LiteralPath (Join-Path $script:Capture 'deploy.json') -Raw | ConvertFrom-Json
            $deployment.SerialPort | Should -Be 'COM7'
            $deployment.Files.DestinationFilePath | Should -Be @('I:\terminal.json', 'I:\gateway-ca.pem')
            $deployment.Files[1].SourceFilePath | Should -Be $script:Pem

            $config = Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw | ConvertFrom-Json -AsHashtable
            $config.deviceId | Should -Be 'T0001'
            $config.keyVersion | Should -Be 1
            $config.key | Should -BeExactly (Get-FakeDeviceKey 'T0001')
            $config.gatewayUrl | Should -Be $script:Gateway.Url
            $config.caCertificate | Should -Be 'I:\gateway-ca.pem'
            $config.wifiSsid | Should -Be 'shop-wifi'
            $config.wifiPassword | Should -BeExactly $script:WifiPass
            $config.displayName | Should -Be 'Counter 1'
            $config.currency | Should -Be 'USD'
            $config.board | Should -Be 'wroom'
            $config.display | Should -Be 'ssd1306'
            @($config.i2cSda, $config.i2cScl, $config.scannerTx, $config.scannerRx) | Should -Be @(21, 22, 17, 16)
            @($config.hostLinkTx, $config.hostLinkRx) | Should -Be @(4, 5) -Because 'the host link is always the COM3 UART'
            [System.IO.File]::ReadAllBytes((Join-Path $script:Capture 'terminal.json'))[0] | Should -Be ([byte][char]'{') -Because 'no byte order mark'
        }

        It 'writes the WROVER scanner pins and the host link pins' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; Display = 'sh1106' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $config = Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw | ConvertFrom-Json
            @($config.scannerTx, $config.scannerRx, $config.hostLinkTx, $config.hostLinkRx) | Should -Be @(27, 26, 4, 5)
            $config.display | Should -Be 'sh1106'
        }

        It 'writes a colour TFT with its panel size and SPI pins instead of the I2C ones' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Display = 'st7789'; DisplaySize = '240x240' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $config = Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw | ConvertFrom-Json
            @($config.display, $config.displaySize) | Should -Be @('st7789', '240x240')
            @($config.spiSck, $config.spiMosi, $config.tftCs, $config.tftDc, $config.tftReset, $config.tftBacklight) | Should -Be @(18, 23, 14, 13, 32, 33)
            $config.PSObject.Properties.Name | Should -Not -Contain 'i2cSda'
        }

        It 'refuses a panel size for an OLED' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Display = 'ssd1306'; DisplaySize = '240x320' }))

            $result.Exit | Should -Not -Be 0
            $result.Output | Should -BeLike '*-DisplaySize is for the colour displays*'
        }

        It 'deletes the temporary configuration and never shows a secret in output, logs or nanoff arguments' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Verbose = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $deployFile = ((Get-NanoffCalls)[2] -split ' ', 2)[1]
            Test-Path -LiteralPath (Split-Path $deployFile) | Should -BeFalse
            $key = Get-FakeDeviceKey 'T0001'
            $written = Get-WrittenText
            $written | Should -Not -BeNullOrEmpty
            foreach ($secret in $script:Token, $script:WifiPass, $key) {
                $result.Output | Should -Not -BeLike "*$secret*"
                $written | Should -Not -BeLike "*$secret*"
            }
            (Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw) | Should -BeLike "*$key*" -Because 'the device itself gets the key'
        }

        It 'with -RotateKey asks an existing device''s new key instead of registering it' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0409'; RotateKey = $true; SkipFirmware = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-FakeGatewayRequests $script:Gateway)[1].path | Should -Be '/admin/devices/T0409/rotate-key'
            (Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw | ConvertFrom-Json).keyVersion | Should -Be 2
            Get-NanoffCalls | Should -Not -Contain '--update --target ESP32_REV3 --serialport COM7'
        }

        It 'skips the steps it is told to skip' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SkipFirmware = $true; SkipApp = $true; SkipVerify = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $calls = Get-NanoffCalls
            $calls.Count | Should -Be 2
            $calls[0] | Should -BeExactly '--listports'
            $calls[1] | Should -BeLike '--filedeployment *'
        }

        It 'takes the secrets from the environment variables' {
            $env:TERMINAL_ADMIN_TOKEN = $script:Token
            $env:TERMINAL_WIFI_PASSWORD = $script:WifiPass

            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; AdminToken = $null; WifiPassword = $null })

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-FakeGatewayRequests $script:Gateway | Where-Object authorized).Count | Should -Be 2
            (Get-Content -LiteralPath (Join-Path $script:Capture 'terminal.json') -Raw | ConvertFrom-Json).wifiPassword | Should -BeExactly $script:WifiPass
            foreach ($secret in $script:Token, $script:WifiPass, (Get-FakeDeviceKey 'T0001')) {
                $result.Output | Should -Not -BeLike "*$secret*"
                Get-WrittenText | Should -Not -BeLike "*$secret*"
            }
        }
    }

    Context 'errors' {
        It 'maps nanoff <Code> (<How>) to a plain explanation and stops that device' -ForEach @(
            @{ Code = 4005; How = 'printed'; Fail = '--update:4005'; Step = 'firmware'; Text = 'the serial port COM7 could not be opened*close other programs using COM7*' }
            @{ Code = 9005; How = 'exit code only, 8 bits'; Fail = '--update:9005:quiet'; Step = 'firmware'; Text = 'nanoff E9005: the firmware target ESP32_REV3 does not exist*' }
            @{ Code = 6002; How = 'printed'; Fail = '--listports:6002'; Step = 'check'; Text = '*used by another program*' }
            @{ Code = 9009; How = 'printed'; Fail = '--deploy:9009'; Step = 'app'; Text = '*never uses a default address*' }
            @{ Code = 2000; How = 'exit code only, 8 bits'; Fail = '--devicedetails:2000:quiet'; Step = 'verify'; Text = 'nanoff E2000: could not connect*' }
            @{ Code = 77; How = 'unknown'; Fail = '--update:77:quiet'; Step = 'firmware'; Text = 'nanoff failed with exit code 77; see the log*' }
        ) {
            $env:FAKE_NANOFF_FAIL = $Fail

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; PassThru = $true }))

            $result.Exit | Should -Be 1
            $result.Results.Count | Should -Be 1
            $result.Results[0].Status | Should -Be 'FAILED'
            $result.Results[0].Step | Should -Be $Step
            $result.Results[0].Message | Should -BeLike "*$Text"
            $result.Output | Should -BeLike "*FAILED at step '$Step'*"
        }

        It 'registers nothing when the firmware flash fails' {
            $env:FAKE_NANOFF_FAIL = '--update:4003'

            $null = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001' }))

            Get-FakeGatewayRequests $script:Gateway | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
            (Get-NanoffCalls).Count | Should -Be 2
        }

        It 'says how to recover the key when writing the configuration fails, and still deletes the temporary files' {
            $env:FAKE_NANOFF_FAIL = '--filedeployment:2003'

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'configure'
            $result.Results[0].Message | Should -BeLike '*writing files to the device storage (I:) failed*-SkipFirmware -RotateKey*'
            $deployFile = ((Get-NanoffCalls | Where-Object { $_ -like '--filedeployment *' }) -split ' ', 2)[1]
            Test-Path -LiteralPath (Split-Path $deployFile) | Should -BeFalse
        }

        It 'reports a missing port with the ports that exist' {
            $env:FAKE_NANOFF_PORTS = 'COM3'

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'check'
            $result.Results[0].Message | Should -BeLike 'serial port COM7 is not present (available: COM3)*'
        }

        It 'stops before flashing when the gateway rejects the admin token' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; AdminToken = (Secure 'wrong-token') }))

            $result.Exit | Should -Be 3
            $result.Output | Should -BeLike '*rejected the admin token (HTTP 401)*'
            Get-NanoffCalls | Should -BeNullOrEmpty
        }

        It 'stops before flashing a device that is already registered, pointing at -RotateKey' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0409'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'check'
            $result.Results[0].Message | Should -BeLike '*already registered*-RotateKey*'
            Get-NanoffCalls | Should -Be @('--listports')
        }

        It 'fails the self-test step clearly when the host link port cannot be opened' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = 'COM99'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'selftest'
            $result.Results[0].Message | Should -BeLike 'the host link port COM99 could not be opened*'
        }
    }

    Context 'self-test over the host link' -Skip:(-not (Get-Command socat -ErrorAction SilentlyContinue)) {
        BeforeAll {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($script:Flash, [ref] $null, [ref] $null)
            $definition = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq 'Get-HostLinkChecksum' }, $true)
            . ([scriptblock]::Create($definition.Extent.Text))
            function script:Line([string] $Text) { "$Text*$(Get-HostLinkChecksum $Text)" }

            # A pseudo-terminal pair (socat): flash.ps1 opens one end as -HostLinkPort, a fake terminal the other.
            function script:Start-PtyPair {
                $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
                $null = New-Item -ItemType Directory -Path $dir
                $process = Start-Process socat -ArgumentList "pty,raw,echo=0,link=$dir/host", "pty,raw,echo=0,link=$dir/device" -PassThru
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not ((Test-Path "$dir/host") -and (Test-Path "$dir/device")) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                [pscustomobject]@{
                    Process = $process
                    Host    = (Get-Item "$dir/host").ResolveLinkTarget($true).FullName
                    Device  = (Get-Item "$dir/device").ResolveLinkTarget($true).FullName
                }
            }

            # The fake terminal: for each request line it receives (empty lines skipped), writes the next group of
            # answer lines; returns the requests it read.
            function script:Start-FakeTerminal([string] $Device, [object[]] $Answers) {
                Start-ThreadJob -ArgumentList $Device, $Answers -ScriptBlock {
                    param($device, $answers)
                    $port = [System.IO.Ports.SerialPort]::new($device, 115200)
                    $port.NewLine = "`n"
                    $port.ReadTimeout = 30000
                    $port.Open()
                    try {
                        foreach ($group in $answers) {
                            do { $request = $port.ReadLine().TrimEnd("`r") } while ($request -eq '')
                            $request
                            foreach ($answer in $group) { $port.Write($answer + "`r`n") }
                        }
                    }
                    finally { $port.Dispose() }
                }
            }
        }

        It 'asks again while the terminal is busy, ignores events and corrupt lines, and reports the result' {
            $pty = Start-PtyPair
            try {
                $terminal = Start-FakeTerminal $pty.Device @(
                    , @((Line '!1 DEVICE TERMINAL STARTED firmware 1.0.0'), (Line '1 ERR BUSY recovering'))
                    , @('2 INFO PASS json*00', (Line '2 INFO PASS utf8 round trip'), (Line '2 INFO PASS qr version 1'), (Line '2 OK SELFTEST 2 0'))
                )
                $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = $pty.Host; PassThru = $true }))
                $requests = @($terminal | Wait-Job -Timeout 30 | Receive-Job)

                $result.Exit | Should -Be 0 -Because $result.Output
                $result.Results[0].Message | Should -BeLike '*self-test 2 passed, 0 failed*'
                $requests | Should -Be @((Line '1 SELFTEST'), (Line '2 SELFTEST'))
                $log = Get-Content -LiteralPath (Get-ChildItem -LiteralPath $script:Logs -Filter 'T0001-*.log').FullName -Raw
                $log | Should -BeLike '*selftest: PASS utf8 round trip*'
                $log | Should -Not -BeLike '*PASS json*' -Because 'a line with a wrong checksum is not believed'
            }
            finally { Stop-Process -Id $pty.Process.Id -ErrorAction SilentlyContinue }
        }

        It 'fails the self-test step when a check failed' {
            $pty = Start-PtyPair
            try {
                $terminal = Start-FakeTerminal $pty.Device @(, @((Line '1 INFO FAIL display init'), (Line '1 OK SELFTEST 5 1')))
                $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = $pty.Host; PassThru = $true }))
                $null = $terminal | Wait-Job -Timeout 30

                $result.Exit | Should -Be 1
                $result.Results[0].Step | Should -Be 'selftest'
                $result.Results[0].Message | Should -BeLike 'the self-test reported 5 passed, 1 failed*'
            }
            finally { Stop-Process -Id $pty.Process.Id -ErrorAction SilentlyContinue }
        }
    }

    Context 'batch' {
        It 'flashes every row, keeps one log per device and prints a summary table' {
            $csv = Join-Path $TestDrive 'devices.csv'
            Set-Content -LiteralPath $csv -Value @(
                'port,deviceId,displayName,currency,board'
                'COM3,T0101,Till 1,,'
                'COM6,T0102,Till 2,EUR,'
                'COM5,T0103,Vending 3,,wrover'
            )

            $result = Invoke-Flash (With (@{ DeviceCsv = $csv; PassThru = $true }))

            $result.Exit | Should -Be 1
            ($result.Results | ForEach-Object { "$($_.DeviceId) $($_.Status) $($_.Step)" }) |
                Should -Be @('T0101 OK ', 'T0102 FAILED check', 'T0103 OK ')
            $result.Output | Should -Match 'T0101\s+COM3\s+OK'
            $result.Output | Should -Match 'T0102\s+COM6\s+FAILED\s+check'
            $result.Output | Should -BeLike '*3 device(s): 2 ok, 1 failed*'
            Get-NanoffCalls | Should -Contain '--update --target ESP32_PSRAM_REV3 --serialport COM5'

            $logs = @(Get-ChildItem -LiteralPath $script:Logs -Filter '*.log')
            $logs.Name | ForEach-Object { $_ -replace '-\d{8}-\d{6}\.log$', '' } | Sort-Object | Should -Be @('T0101', 'T0102', 'T0103')
            Get-Content -LiteralPath ($logs | Where-Object Name -like 'T0102-*').FullName -Raw | Should -BeLike '*serial port COM6 is not present*'
            $written = Get-WrittenText
            foreach ($secret in $script:Token, $script:WifiPass, (Get-FakeDeviceKey 'T0101'), (Get-FakeDeviceKey 'T0103')) {
                $result.Output | Should -Not -BeLike "*$secret*"
                $written | Should -Not -BeLike "*$secret*"
            }
        }
    }
}

Describe 'host-link lines' {
    BeforeAll {
        # Load just these functions from flash.ps1 (the script itself runs when invoked).
        $ast = [System.Management.Automation.Language.Parser]::ParseFile(
            (Resolve-Path (Join-Path $PSScriptRoot '../../flash.ps1')).ProviderPath, [ref] $null, [ref] $null)
        foreach ($name in 'Get-HostLinkChecksum', 'Format-HostLinkRequest', 'ConvertFrom-HostLinkReply', 'ConvertFrom-SelfTestResult') {
            $definition = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $name }, $true)
            . ([scriptblock]::Create($definition.Extent.Text))
        }
    }

    It 'computes the CRC-8 check values of docs/host-link.md: "<Text>" gives <Crc>' -ForEach @(
        @{ Text = '123456789'; Crc = 'F4' }
        @{ Text = '1 PING'; Crc = 'F7' }
        @{ Text = '10 SELFTEST'; Crc = 'E8' }
        @{ Text = '10 OK SELFTEST 12 0'; Crc = '66' }
    ) {
        Get-HostLinkChecksum $Text | Should -BeExactly $Crc
    }

    It 'writes the SELFTEST request of the transcript in docs/host-link.md' {
        Format-HostLinkRequest 10 'SELFTEST' | Should -BeExactly "10 SELFTEST*E8`r`n"
    }

    It 'reads "<Line>"' -ForEach @(
        @{ Line = "10 OK SELFTEST 12 0*66`r"; Id = 10; Kind = 'OK'; Text = 'SELFTEST 12 0' }
        @{ Line = '10 ok SELFTEST 12 0*66'; Id = $null }
        @{ Line = '10 OK SELFTEST 12 0*67'; Id = $null }
        @{ Line = '10 SELFTEST*E8'; Id = $null }
        @{ Line = '!3 DEVICE SCANNER READY ok*00'; Id = $null }
        @{ Line = ''; Id = $null }
    ) {
        $reply = ConvertFrom-HostLinkReply $Line
        if ($null -eq $Id) {
            $reply | Should -BeNullOrEmpty
        }
        else {
            $reply.Id | Should -Be $Id
            $reply.Kind | Should -BeExactly $Kind
            $reply.Text | Should -BeExactly $Text
        }
    }

    It 'accepts lower-case checksum digits' {
        $text = '7 INFO PASS utf8 round trip'
        (ConvertFrom-HostLinkReply ($text + '*' + (Get-HostLinkChecksum $text).ToLowerInvariant())).Text | Should -BeExactly 'PASS utf8 round trip'
    }

    It 'reads the self-test result "<Text>"' -ForEach @(
        @{ Text = 'SELFTEST 12 0'; Passed = 12; Failed = 0 }
        @{ Text = 'SELFTEST 40 2'; Passed = 40; Failed = 2 }
    ) {
        $summary = ConvertFrom-SelfTestResult $Text
        $summary.Passed | Should -Be $Passed
        $summary.Failed | Should -Be $Failed
    }

    It 'ignores "<Text>"' -ForEach @(@{ Text = 'PING HL1' }, @{ Text = 'SELFTEST 1' }, @{ Text = '' }) {
        ConvertFrom-SelfTestResult $Text | Should -BeNullOrEmpty
    }
}
