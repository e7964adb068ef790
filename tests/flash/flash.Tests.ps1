#Requires -Version 7.4
# Pester 5 tests of flash.ps1 for one device, its errors, the self-test and the summary, against a fake nanoff on PATH
# and a fake gateway admin API on loopback (Support.ps1). Run: .ci/pester.sh. The fake nanoff is a POSIX shell
# script: on Windows these tests are skipped.

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support.ps1')
}

AfterAll {
    Remove-FlashTestSupport
}

Describe 'flash.ps1' -Skip:$NoPosixShell {
    BeforeEach {
        Reset-FlashTest
    }

    Context 'parameter validation' {
        It 'refuses <Name> at binding, before any nanoff or HTTP call' -ForEach @(
            @{ Name = 'a port that is not a serial port'; Changes = @{ Port = 'LPT1' } }
            @{ Name = 'a host link port that is not a serial port'; Changes = @{ HostLinkPort = 'LPT2' } }
        ) {
            $parameters = With @{ Port = 'COM7'; DeviceId = 'T0001' } $Changes

            { & $script:Flash @parameters } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'refuses <Name> with exit code 2 and a plain message, before any nanoff or HTTP call' -ForEach @(
            @{ Name = 'a device id with a dash'; Changes = @{ DeviceId = 'T-01' }; Message = "deviceId 'T-01': letters and digits only" }
            @{ Name = 'an unknown board'; Changes = @{ Board = 'esp8266' }; Message = "board 'esp8266': must be 'wroom' or 'wrover' (-Board)" }
            @{ Name = 'an unknown display'; Changes = @{ Display = 'oled' }; Message = "display 'oled': must be" }
            @{ Name = 'a currency the terminal cannot format'; Changes = @{ Currency = 'RMB' }; Message = "currency 'RMB': must be an ISO 4217 code the terminal can format" }
            @{ Name = 'a Wi-Fi password of 65 characters'; Changes = @{ WifiPassword = ('p' * 65) }; Message = '-WifiPassword: wifiPassword: must have 0..64 characters' }
            @{ Name = 'a display name of 33 characters'; Changes = @{ DisplayName = ('d' * 33) }; Message = 'displayName * must have 0..32 characters (-DisplayName)' }
            @{ Name = 'a display name with a control character'; Changes = @{ DisplayName = "Till`t1" }; Message = 'control characters are not allowed' }
            @{ Name = 'a gateway URL that is not https'; Changes = @{ GatewayUrl = 'http://gw.example.com' }; Message = "-GatewayUrl: gatewayUrl '*': must use https: the terminal talks to the gateway over https only" }
            @{ Name = 'a plain-http gateway on localhost (the device needs https)'; Changes = @{ GatewayUrl = 'http://127.0.0.1:8080' }; Message = "-GatewayUrl: gatewayUrl '*': must use https: the terminal talks to the gateway over https only" }
            @{ Name = 'a plain-http admin URL that is not loopback'; Changes = @{ AdminUrl = 'http://gw.example.com:8081' }; Message = '-AdminUrl must use https unless it is on this PC''s loopback' }
            @{ Name = 'a missing application image'; Changes = @{ Image = '/no/such/app.bin' }; Message = "application image '/no/such/app.bin' not found" }
            @{ Name = 'a missing admin token'; Changes = @{ AdminToken = $null }; Message = 'give -AdminToken' }
            @{ Name = 'a missing Wi-Fi password'; Changes = @{ WifiPassword = $null }; Message = 'give -WifiPassword' }
            @{ Name = 'a CA file that is not PEM'; Changes = @{ CaCertificate = (Join-Path $PSScriptRoot 'fake-nanoff.sh') }; Message = 'is not a PEM certificate file' }
            @{ Name = 'a missing currency'; Changes = @{ Currency = $null }; Message = 'currency: give -Currency or a currency column' }
            @{ Name = 'a self-test without a host link port'; Changes = @{ SelfTest = $true }; Message = 'give -HostLinkPort with -SelfTest' }
            @{ Name = 'the board''s own port as host link port'; Changes = @{ SelfTest = $true; HostLinkPort = 'COM7' }; Message = '-HostLinkPort COM7 is the board''s own USB port' }
            @{ Name = '-MassErase with -SkipFirmware'; Changes = @{ MassErase = $true; SkipFirmware = $true }; Message = '-MassErase erases the flash before the firmware is written*drop -SkipFirmware' }
            @{ Name = 'an unknown -Setting key'; Changes = @{ Setting = @{ displayAdress = '0x3D' } }; Message = "-Setting: unknown key 'displayAdress': did you mean 'displayAddress'?" }
            @{ Name = 'a -Setting key flash.ps1 sets itself'; Changes = @{ Setting = @{ gatewayUrl = 'https://x' } }; Message = "-Setting: 'gatewayUrl' is set by flash.ps1 itself" }
            @{ Name = 'a -Setting value outside its range'; Changes = @{ Setting = @{ pollIntervalMs = 100 } }; Message = "pollIntervalMs '100': must be 200..60000 (-Setting)" }
            @{ Name = 'a -Setting pin on the SPI flash'; Changes = @{ Setting = @{ scannerTx = 7 } }; Message = "scannerTx '7': GPIO7 belongs to the SPI flash (6..11) (-Setting)" }
            @{ Name = 'settings only the firmware''s parser refuses (cross-key)'; Changes = @{ Setting = @{ cpmBudgetMs = 1000 } }; Message = 'the firmware refuses the configuration of T0001: cpmBudgetMs: must be at least pollIntervalMs' }
            @{ Name = 'pins the firmware refuses together'; Changes = @{ Setting = @{ scannerRx = 21 } }; Message = 'the firmware refuses the configuration of T0001: i2cSda: GPIO21 is also set for scannerRx' }
        ) {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001' } $Changes)

            $result.Exit | Should -Be 2 -Because $result.Output
            $result.Output | Should -BeLike "*$Message*"
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'normalises the case of what the firmware reads exactly (board, display, currency, display address)' {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'WROVER'; Display = 'SH1106'; Currency = 'usd'; Setting = @{ DISPLAYADDRESS = '0x3d' } })

            $result.Exit | Should -Be 0 -Because $result.Output
            $config = Get-DeviceConfig
            @($config.board, $config.display, $config.currency, $config.displayAddress) | Should -Be @('wrover', 'sh1106', 'USD', '0x3D')
            Get-NanoffCalls | Should -Contain '--update --target ESP32_PSRAM_REV3 --serialport COM7'
            (Get-FakeGatewayRequests $script:Gateway | Where-Object method -eq 'POST').body | ConvertFrom-Json | ForEach-Object currencies | Should -Be @('USD')
        }
    }

    Context '-WhatIf' {
        It 'changes nothing, checks what it can read and says what it would do' {
            # A separate process, as a technician runs it ("What if:" lines go to the host, not to a stream).
            $run = Wait-FlashProcess (Start-FlashProcess (Get-ProcessArguments @{ Port = 'COM7'; DeviceId = 'T0001'; MassErase = $true; WhatIf = $true }))

            $run.Exit | Should -Be 0 -Because $run.Output
            Get-NanoffCalls | Should -Be @('--listports') -Because 'listing the ports changes nothing'
            Get-FakeGatewayRequests $script:Gateway | ForEach-Object { "$($_.method) $($_.path) $($_.authorized)" } | Should -Be @('GET /admin/devices True')
            Test-Path -LiteralPath $script:Capture | Should -BeFalse
            foreach ($action in 'Flash nanoFramework firmware ESP32_REV3 after erasing the whole flash', 'Register the device',
                'Write I:\terminal.json', 'Deploy application image', 'Read the device details and compare the firmware target with ESP32_REV3') {
                $run.Output | Should -BeLike "*What if: *$action*"
            }
            $run.Output | Should -BeLike '*the admin API at http://127.0.0.1:*accepted the token (1 device(s) registered)*'
            $run.Output | Should -BeLike "*note: this PC cannot reach $($script:DeviceUrl)*"
            $run.Output | Should -BeLike '*what-if: nothing was changed; 0 device(s) would stop*'
            $run.Output | Should -Not -BeLike '*What if: *Add Content*' -Because 'the log is written even in a what-if run'
            foreach ($secret in $script:Token, $script:WifiPass) {
                $run.Output | Should -Not -BeLike "*$secret*"
                Get-WrittenText | Should -Not -BeLike "*$secret*"
            }
        }

        It 'finds <Name> and exits <Exit> without changing anything' -ForEach @(
            @{ Name = 'a board port that is not there'; Changes = @{ Port = 'COM9' }; Exit = 1; Message = 'serial port COM9 is not present now' }
            @{ Name = 'an admin token the gateway rejects'; Changes = @{ AdminToken = 'wrong-token' }; Exit = 3; Message = 'rejected the admin token (HTTP 401)' }
            @{ Name = 'a device that is already registered'; Changes = @{ DeviceId = 'T0409' }; Exit = 1; Message = 'device T0409 is already registered*-RotateKey' }
            @{ Name = 'a missing image'; Changes = @{ Image = '/no/such/app.bin' }; Exit = 2; Message = "application image '/no/such/app.bin' not found" }
            @{ Name = 'a host link port that is not there'; Changes = @{ SelfTest = $true; HostLinkPort = 'COM8' }; Exit = 2; Message = 'the host link port COM8 is not present (available: COM3, COM4, COM5, COM7)' }
        ) {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; WhatIf = $true } $Changes)

            $result.Exit | Should -Be $Exit -Because $result.Output
            $result.Output | Should -BeLike "*$Message*"
            Get-NanoffCalls | Where-Object { $_ -ne '--listports' } | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
        }
    }

    Context 'one device' {
        It 'runs exactly these nanoff command lines, in this order' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; DisplayName = 'Counter 1' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $calls = Get-NanoffCalls
            $calls.Count | Should -Be 6
            $calls[0] | Should -BeExactly '--listports'
            $calls[1] | Should -BeExactly '--platform esp32 --serialport COM7 --devicedetails --checkpsram' -Because 'a WROOM about to be flashed is tested for PSRAM'
            $calls[2] | Should -BeExactly '--update --target ESP32_REV3 --serialport COM7'
            $calls[3] | Should -Match '^--filedeployment \S+[/\\]terminal-flash-\w+[/\\]deploy\.json$'
            $calls[4] | Should -BeExactly "--nanodevice --deploy --serialport COM7 --image $script:Image"
            $calls[5] | Should -BeExactly '--nanodevice --devicedetails --serialport COM7'
        }

        It 'uses the board profile target, -Target and -MassErase on the firmware line' -ForEach @(
            @{ Extra = @{ Board = 'wrover' }; Line = '--update --target ESP32_PSRAM_REV3 --serialport COM7' }
            @{ Extra = @{ Board = 'wrover'; MassErase = $true }; Line = '--update --target ESP32_PSRAM_REV3 --serialport COM7 --masserase' }
            @{ Extra = @{ Target = 'esp32_rev0' }; Line = '--update --target ESP32_REV0 --serialport COM7' }
        ) {
            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001' } $Extra)

            $result.Exit | Should -Be 0 -Because $result.Output
            Get-NanoffCalls | Where-Object { $_ -like '--update *' } | Should -BeExactly $Line
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

            $deployment = Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/deploy.json') -Raw | ConvertFrom-Json
            $deployment.SerialPort | Should -Be 'COM7'
            $deployment.Files.DestinationFilePath | Should -Be @('I:\terminal.json', 'I:\gateway-ca.pem')
            $deployment.Files[1].SourceFilePath | Should -Be $script:Pem

            $config = Get-DeviceConfig
            $config.deviceId | Should -Be 'T0001'
            $config.keyVersion | Should -Be 1
            $config.key | Should -BeExactly (Get-FakeDeviceKey 'T0001')
            $config.gatewayUrl | Should -Be $script:DeviceUrl
            $config.caCertificate | Should -Be 'I:\gateway-ca.pem'
            $config.wifiSsid | Should -Be 'shop-wifi'
            $config.wifiPassword | Should -BeExactly $script:WifiPass
            $config.displayName | Should -Be 'Counter 1'
            $config.currency | Should -Be 'USD'
            @($config.i2cSda, $config.i2cScl, $config.scannerTx, $config.scannerRx) | Should -Be @(21, 22, 17, 16)
            @($config.hostLinkTx, $config.hostLinkRx) | Should -Be @(4, 5) -Because 'the host link is always the COM3 UART'
            [System.IO.File]::ReadAllBytes((Join-Path $script:Capture 'COM7/terminal.json'))[0] | Should -Be ([byte][char]'{') -Because 'no byte order mark'
            (Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/gateway-ca.pem') -Raw) | Should -Be (Get-Content -LiteralPath $script:Pem -Raw)
        }

        It 'writes the WROVER scanner pins, the host link pins and the settings given' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; Display = 'sh1106'; Setting = @{ displayAddress = '0x3D'; pollIntervalMs = '1500'; cancelScheduleMs = '1000, 2000' } }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $config = Get-DeviceConfig
            @($config.scannerTx, $config.scannerRx, $config.hostLinkTx, $config.hostLinkRx) | Should -Be @(27, 26, 4, 5)
            $config.display | Should -Be 'sh1106'
            $config.displayAddress | Should -Be '0x3D'
            $config.pollIntervalMs | Should -Be 1500
            $config.cancelScheduleMs | Should -Be @(1000, 2000)
        }

        It 'writes a colour TFT with its panel size' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Display = 'st7789'; Setting = @{ displaySize = '240x240' } }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $config = Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/terminal.json') -Raw | ConvertFrom-Json
            @($config.display, $config.displaySize) | Should -Be @('st7789', '240x240')
        }

        It 'refuses a panel size for an OLED, as the firmware would' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Display = 'ssd1306'; Setting = @{ displaySize = '240x320' } }))

            $result.Exit | Should -Not -Be 0
            $result.Output | Should -BeLike '*displaySize*for the st7789 and ili9341 displays*'
        }

        It 'deletes the temporary configuration and never shows a secret in output, logs or nanoff arguments' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Verbose = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $deployFile = ((Get-NanoffCalls | Where-Object { $_ -like '--filedeployment *' }) -split ' ', 2)[1]
            Test-Path -LiteralPath (Split-Path $deployFile) | Should -BeFalse
            $key = Get-FakeDeviceKey 'T0001'
            $written = Get-WrittenText
            $written | Should -Not -BeNullOrEmpty
            foreach ($secret in $script:Token, $script:WifiPass, $key) {
                $result.Output | Should -Not -BeLike "*$secret*"
                $written | Should -Not -BeLike "*$secret*"
            }
            (Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/terminal.json') -Raw) | Should -BeLike "*$key*" -Because 'the device itself gets the key'
        }

        It 'with -RotateKey asks an existing device''s new key instead of registering it' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0409'; RotateKey = $true; SkipFirmware = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-FakeGatewayRequests $script:Gateway)[1].path | Should -Be '/admin/devices/T0409/rotate-key'
            (Get-DeviceConfig).keyVersion | Should -Be 2
            Get-NanoffCalls | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty
        }

        It 'skips the steps it is told to skip' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SkipFirmware = $true; SkipApp = $true; SkipVerify = $true }))

            $result.Exit | Should -Be 0 -Because $result.Output
            $calls = Get-NanoffCalls
            $calls.Count | Should -Be 3
            $calls[0] | Should -BeExactly '--listports'
            $calls[1] | Should -BeExactly '--platform esp32 --serialport COM7 --devicedetails' -Because 'no PSRAM test image on a board whose firmware stays'
            $calls[2] | Should -BeLike '--filedeployment *'
        }

        It 'takes the secrets from the environment variables' {
            $env:TERMINAL_ADMIN_TOKEN = $script:Token
            $env:TERMINAL_WIFI_PASSWORD = $script:WifiPass

            $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; AdminToken = $null; WifiPassword = $null })

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-FakeGatewayRequests $script:Gateway | Where-Object authorized).Count | Should -Be 2
            (Get-DeviceConfig).wifiPassword | Should -BeExactly $script:WifiPass
            foreach ($secret in $script:Token, $script:WifiPass, (Get-FakeDeviceKey 'T0001')) {
                $result.Output | Should -Not -BeLike "*$secret*"
                Get-WrittenText | Should -Not -BeLike "*$secret*"
            }
        }

        It 'compares the firmware target the device reports with the one it needs' {
            Set-Board 'COM7' '24:0A:C4:00:00:07'
            Set-Content -LiteralPath (Join-Path $script:Boards 'COM7/target') -Value 'ESP32_REV0' -NoNewline

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SkipFirmware = $true; PassThru = $true }))

            $result.Exit | Should -Be 1
            $result.Results[0].Step | Should -Be 'verify'
            $result.Results[0].Message | Should -BeLike 'the device runs firmware target ESP32_REV0, but this device needs ESP32_REV3. What to do: flash the firmware again*'
        }

        It 'refuses the wroom profile on a board with PSRAM, before flashing or registering' {
            Set-Board 'COM7' '24:0A:C4:00:00:07' '2MB'

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; PassThru = $true }))

            $result.Exit | Should -Be 1
            $result.Results[0].Step | Should -Be 'identify'
            $result.Results[0].Message | Should -BeLike '*has PSRAM (2MB*GPIO16/17 belong to the PSRAM*-Board wrover*'
            Get-NanoffCalls | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
        }

        It 'flashes a board with PSRAM as wrover' {
            Set-Board 'COM7' '24:0A:C4:00:00:07' '8MB'

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover' }))

            $result.Exit | Should -Be 0 -Because $result.Output
            (Get-NanoffCalls)[1] | Should -BeExactly '--platform esp32 --serialport COM7 --devicedetails' -Because 'the wrover profile needs no PSRAM test'
        }
    }

    Context 'errors' {
        It 'maps nanoff <Code> (<How>) to a plain explanation and stops that device' -ForEach @(
            @{ Code = 4005; How = 'printed'; Fail = '--update:4005'; Step = 'firmware'; Text = 'the serial port COM7 could not be opened*close other programs using COM7*' }
            @{ Code = 9005; How = 'exit code only, 8 bits'; Fail = '--update:9005:quiet'; Step = 'firmware'; Text = 'nanoff E9005: the firmware target ESP32_REV3 does not exist*' }
            @{ Code = 6002; How = 'printed'; Fail = '--listports:6002'; Step = 'check'; Text = '*used by another program*' }
            @{ Code = 4000; How = 'printed'; Fail = '--devicedetails@COM7:4000'; Step = 'identify'; Text = '*hold the BOOT button*' }
            @{ Code = 9009; How = 'printed'; Fail = '--deploy:9009'; Step = 'app'; Text = '*never uses a default address*' }
            @{ Code = 2000; How = 'exit code only, 8 bits'; Fail = '--nanodevice:2000:quiet'; Step = 'app'; Text = 'nanoff E2000: could not connect*' }
            @{ Code = 2003; How = 'printed'; Fail = '--filedeployment:2003'; Step = 'configure'; Text = '*run again with -MassErase and without -SkipFirmware*-SkipFirmware -RotateKey.' }
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
            (Get-NanoffCalls).Count | Should -Be 3
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

        It 'stops before flashing when the admin URL has no admin API, pointing at the admin listener' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; AdminUrl = "$($script:Gateway.Url)/elsewhere" }))

            $result.Exit | Should -Be 3
            $result.Output | Should -BeLike '*no admin API at*(HTTP 404)*Gateway:AdminUrls*ssh -L 8081:127.0.0.1:8081*'
            Get-NanoffCalls | Should -BeNullOrEmpty
        }

        It 'stops before flashing when the admin API cannot be reached, with the inner cause' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; AdminUrl = "http://127.0.0.1:$(Get-FreePort)" }))

            $result.Exit | Should -Be 3
            $result.Output | Should -BeLike '*could not be reached: Connection refused*What to do: check -AdminUrl*'
            Get-NanoffCalls | Should -BeNullOrEmpty
        }

        It 'stops before flashing a device that is already registered, pointing at -RotateKey' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0409'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'check'
            $result.Results[0].Message | Should -BeLike '*already registered*-RotateKey*'
            Get-NanoffCalls | Should -BeNullOrEmpty -Because 'the gateway answer decides before the board is touched'
        }

        It 'checks that the host link port is present before flashing or registering anything' {
            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = 'COM8' }))

            $result.Exit | Should -Be 2 -Because $result.Output
            $result.Output | Should -BeLike '*the host link port COM8 is not present (available: COM3, COM4, COM5, COM7)*GPIO4/GPIO5*'
            Get-NanoffCalls | Should -Be @('--listports')
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'fails the self-test step clearly when the host link port cannot be opened' {
            $env:FAKE_NANOFF_PORTS = 'COM3 COM4 COM5 COM7 COM99'

            $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = 'COM99'; PassThru = $true }))

            $result.Results[0].Step | Should -Be 'selftest'
            $result.Results[0].Message | Should -BeLike 'the host link port COM99 could not be opened*'
        }
    }

    Context 'self-test over the host link' -Skip:(-not (Get-Command socat -ErrorAction SilentlyContinue)) {
        BeforeAll {
            . (Join-Path $script:Repo 'flash/HostLink.ps1')
            function script:Line([string] $Text) { "$Text*$(Get-HostLinkChecksum $Text)" }

            # A pseudo-terminal pair (socat): flash.ps1 opens one end as -HostLinkPort, a fake terminal the other.
            function script:Start-PtyPair {
                $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
                $null = New-Item -ItemType Directory -Path $dir
                $process = Start-Process socat -ArgumentList "pty,raw,echo=0,link=$dir/host", "pty,raw,echo=0,link=$dir/device" -PassThru
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while (-not ((Test-Path "$dir/host") -and (Test-Path "$dir/device")) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $pair = [pscustomobject]@{
                    Process = $process
                    Host    = (Get-Item "$dir/host").ResolveLinkTarget($true).FullName
                    Device  = (Get-Item "$dir/device").ResolveLinkTarget($true).FullName
                }
                $env:FAKE_NANOFF_PORTS = "COM7 $($pair.Host)"
                return $pair
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

        It 'asks again while the terminal is busy, ignores events and corrupt lines, and reports the result and the OLED address' {
            $pty = Start-PtyPair
            try {
                $terminal = Start-FakeTerminal $pty.Device @(
                    , @((Line '!1 DEVICE TERMINAL STARTED firmware 1.0.0'), (Line '1 ERR BUSY recovering'))
                    , @('2 INFO PASS json*00', (Line '2 INFO PASS utf8 round trip'), (Line '2 INFO PASS qr version 1'), (Line '2 OK SELFTEST 2 0'))
                    , @((Line '3 INFO heap managed free=90000'), (Line '3 INFO display i2c 0x3C answered'), (Line '3 OK DIAG 2'))
                )
                $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = $pty.Host; PassThru = $true }))
                $requests = @($terminal | Wait-Job -Timeout 30 | Receive-Job)

                $result.Exit | Should -Be 0 -Because $result.Output
                $result.Results[0].Message | Should -BeLike '*self-test 2 passed, 0 failed; display i2c 0x3C answered*'
                $result.Output | Should -BeLike '*the terminal is busy (BUSY recovering); asking again*'
                $requests | Should -Be @((Line '1 SELFTEST'), (Line '2 SELFTEST'), (Line '3 DIAG'))
                $log = Get-Content -LiteralPath (Get-ChildItem -LiteralPath $script:Logs -Filter 'T0001-*.log').FullName -Raw
                $log | Should -BeLike '*selftest: PASS utf8 round trip*'
                $log | Should -BeLike '*diag: heap managed free=90000*'
                $log | Should -Not -BeLike '*PASS json*' -Because 'a line with a wrong checksum is not believed'
            }
            finally { Stop-Process -Id $pty.Process.Id -ErrorAction SilentlyContinue }
        }

        It 'prints the FAIL lines and which OLED address answered, and fails the self-test step' {
            $pty = Start-PtyPair
            try {
                $terminal = Start-FakeTerminal $pty.Device @(
                    , @((Line '1 INFO PASS qr version 1'), (Line '1 INFO FAIL display init'), (Line '1 OK SELFTEST 5 1'))
                    , @((Line '2 INFO display i2c 0x3C (displayAddress) did not answer, 0x3D did and is used: set displayAddress to "0x3D"'), (Line '2 OK DIAG 1'))
                )
                $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = $pty.Host; PassThru = $true }))
                $null = $terminal | Wait-Job -Timeout 30

                $result.Exit | Should -Be 1
                $result.Results[0].Step | Should -Be 'selftest'
                $result.Results[0].Message | Should -BeLike 'the self-test reported 5 passed, 1 failed (FAIL display init)*0x3D did and is used*'
                $result.Output | Should -BeLike '*self-test: FAIL display init*'
                $result.Output | Should -BeLike '*display i2c 0x3C (displayAddress) did not answer, 0x3D did*'
            }
            finally { Stop-Process -Id $pty.Process.Id -ErrorAction SilentlyContinue }
        }

        It 'shows progress while the terminal does not answer, then says what to check' {
            $pty = Start-PtyPair
            try {
                $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; SelfTest = $true; HostLinkPort = $pty.Host; SelfTestTimeoutSeconds = 5; PassThru = $true }))

                $result.Results[0].Step | Should -Be 'selftest'
                $result.Results[0].Message | Should -BeLike "no self-test result within 5 s on $($pty.Host)*GPIO4/GPIO5*"
                ([regex]::Matches($result.Output, 'waiting for the terminal: \d+ s of 5 s')).Count | Should -BeGreaterOrEqual 2
            }
            finally { Stop-Process -Id $pty.Process.Id -ErrorAction SilentlyContinue }
        }
    }

    Context 'batch' {
        It 'flashes every row, keeps one log per device and prints a summary' {
            $csv = New-DeviceCsv @(
                'port,deviceId,displayName,currency,board'
                'COM3,T0101,Till 1,,'
                'COM6,T0102,Till 2,EUR,'
                'COM5,T0103,Vending 3,,wrover'
            )

            $result = Invoke-Flash (With (@{ DeviceCsv = $csv; PassThru = $true }))

            $result.Exit | Should -Be 1
            ($result.Results | ForEach-Object { "$($_.Line) $($_.DeviceId) $($_.Status) $($_.Step)" }) |
                Should -Be @('2 T0101 OK done', '3 T0102 FAILED check', '4 T0103 OK done')
            $result.Output | Should -Match '2\s+T0101\s+COM3\s+OK\s+done'
            $result.Output | Should -Match '3\s+T0102\s+COM6\s+FAILED\s+check'
            $result.Output | Should -BeLike '*3 device(s): 2 ok, 0 done before, 1 failed or interrupted, 0 not run*'
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

Describe 'the summary' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../../flash/Output.ps1')
    }

    It 'wraps each message at word boundaries in a console of <Width> columns' -ForEach @(@{ Width = 100 }, @{ Width = 60 }) {
        $message = 'nanoff E4005: the serial port /dev/ttyUSB0 could not be opened. What to do: close other programs using /dev/ttyUSB0 (serial monitor, Visual Studio device explorer, another flash.ps1) and check the port name.'
        $results = @(
            [pscustomobject]@{ Line = 2; DeviceId = 'T0101'; Port = '/dev/ttyUSB0'; Status = 'FAILED'; Step = 'firmware'; Message = $message }
            [pscustomobject]@{ Line = 3; DeviceId = 'T0102'; Port = '/dev/ttyUSB1'; Status = 'OK'; Step = 'done'; Message = 'target ESP32_REV3' }
        )

        $lines = @(Format-Summary $results $Width)

        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $messageLines = for ($i = 2; $i -lt $lines.Count -and $lines[$i] -like '      *'; $i++) { $lines[$i] }
        @($messageLines).Count | Should -BeGreaterThan 1
        ($messageLines -join ' ' -split '\s+' | Where-Object { $_ }) -join ' ' | Should -Be ($message -split '\s+' -join ' ') -Because 'every word of the message is whole, in order'
        $lines[1] | Should -Match '^2\s+T0101\s+/dev/ttyUSB0\s+FAILED\s+firmware$'
    }
}

Describe 'Get-Help' {
    BeforeAll {
        $script:Help = Get-Help (Resolve-Path (Join-Path $PSScriptRoot '../../flash.ps1')).ProviderPath -Full
    }

    It 'shows the synopsis and the description, not only the syntax' {
        $script:Help.Synopsis | Should -BeLike 'Flashes, provisions and checks ESP32 QR payment terminals*'
        ($script:Help.description | Out-String) | Should -BeLike '*A normal run needs: -Port and -DeviceId*'
        @($script:Help.examples.example).Count | Should -BeGreaterOrEqual 3
    }

    It 'describes every parameter' {
        foreach ($parameter in $script:Help.parameters.parameter | Where-Object name -notin 'WhatIf', 'Confirm') {
            ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
        }
        @($script:Help.parameters.parameter).Count | Should -BeGreaterOrEqual 30
    }

    It 'marks what a normal run needs' {
        foreach ($name in 'Currency', 'GatewayUrl', 'AdminToken', 'WifiSsid', 'WifiPassword', 'Image', 'DeviceId', 'DeviceCsv') {
            $parameter = $script:Help.parameters.parameter | Where-Object name -eq $name
            ($parameter.description | Out-String) | Should -BeLike '*Required for*' -Because "-$name"
        }
    }
}

Describe 'host-link lines' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../../flash/HostLink.ps1')
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
