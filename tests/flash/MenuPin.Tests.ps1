#Requires -Version 7.4
# Pester 5 tests of flash.ps1 -MenuPin: the merchant menu's PIN goes to the device only as the hash the firmware
# checks, and the firmware's own PIN check (Terminal.ConfigCheck pin, the PIN vault of Terminal.Countertop) accepts
# it. Same fakes as flash.Tests.ps1 (Support.ps1); skipped on Windows (the fake nanoff is a POSIX shell script).

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support.ps1')

    # The firmware's verdict on a PIN for a terminal.json: "accepted", "wrong", "not set" or "error ...".
    function script:Get-FirmwarePinVerdict([string] $ConfigPath, [string] $Pin) {
        $tool = Join-Path $script:Repo 'flash/config-check/Terminal.ConfigCheck.dll'
        $verdict = $Pin | & dotnet $tool pin $ConfigPath
        return ($verdict -join "`n").Trim()
    }

    # Eight digits, so that the PIN cannot turn up by chance in 96 hex digits of salt and hash.
    $script:Pin = '31415926'
}

AfterAll {
    Remove-FlashTestSupport
}

Describe 'flash.ps1 -MenuPin' -Skip:$NoPosixShell {
    BeforeEach {
        Reset-FlashTest
    }

    It 'writes the PIN''s PBKDF2-HMAC-SHA256 hash, which the firmware''s PIN check accepts, and never the PIN' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; MenuPin = (Secure $script:Pin) })

        $result.Exit | Should -Be 0 -Because $result.Output
        $configPath = Join-Path $script:Capture 'COM7/terminal.json'
        $config = Get-DeviceConfig
        $config.menuPin | Should -MatchExactly '^pbkdf2-sha256\$2000\$[0-9a-f]{32}\$[0-9a-f]{64}$'
        Get-FirmwarePinVerdict $configPath $script:Pin | Should -Be 'accepted'
        Get-FirmwarePinVerdict $configPath '31415927' | Should -Be 'wrong' -Because 'a check that accepts any PIN proves nothing'
        foreach ($text in (Get-Content -LiteralPath $configPath -Raw), $result.Output, (Get-WrittenText), ((Get-NanoffCalls) -join "`n")) {
            $text | Should -Not -BeLike "*$($script:Pin)*"
        }
    }

    It 'matches .NET''s PBKDF2 (RFC 8018) for the salt and iterations it wrote' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; MenuPin = (Secure $script:Pin) })

        $result.Exit | Should -Be 0 -Because $result.Output
        $parts = (Get-DeviceConfig).menuPin -split '\$'
        $salt = [Convert]::FromHexString($parts[2])
        $expected = [System.Security.Cryptography.Rfc2898DeriveBytes]::Pbkdf2([System.Text.Encoding]::ASCII.GetBytes($script:Pin), $salt,
            [int] $parts[1], [System.Security.Cryptography.HashAlgorithmName]::SHA256, 32)
        $parts[3] | Should -BeExactly ([Convert]::ToHexString($expected).ToLowerInvariant())
    }

    It 'gives every device of a batch its own salt' {
        $csv = New-DeviceCsv @('deviceId,port', 'T0001,COM5', 'T0002,COM7')

        $result = Invoke-Flash (With @{ DeviceCsv = $csv; MenuPin = (Secure $script:Pin) })

        $result.Exit | Should -Be 0 -Because $result.Output
        $first = (Get-DeviceConfig 'COM5').menuPin
        $second = (Get-DeviceConfig 'COM7').menuPin
        $first | Should -Not -Be $second
        Get-FirmwarePinVerdict (Join-Path $script:Capture 'COM5/terminal.json') $script:Pin | Should -Be 'accepted'
        Get-FirmwarePinVerdict (Join-Path $script:Capture 'COM7/terminal.json') $script:Pin | Should -Be 'accepted'
    }

    It 'refuses a PIN <Name> with exit code 2, without quoting it, before any nanoff or HTTP call' -ForEach @(
        @{ Name = 'of three digits'; Pin = '271'; Message = '-MenuPin must be 4 to 8 digits (0-9)*it has 3 character(s)' }
        @{ Name = 'of nine digits'; Pin = '271828182'; Message = '-MenuPin must be 4 to 8 digits (0-9)*it has 9 characters' }
        @{ Name = 'with a letter'; Pin = '27A8'; Message = '-MenuPin must be 4 to 8 digits (0-9)*a character other than 0-9' }
        @{ Name = 'with a space'; Pin = '2718 '; Message = '-MenuPin must be 4 to 8 digits (0-9)*a character other than 0-9' }
        @{ Name = 'of non-ASCII digits'; Pin = "$([char] 0x0662)$([char] 0x0667)$([char] 0x0661)$([char] 0x0668)"; Message = '-MenuPin must be 4 to 8 digits (0-9)*a character other than 0-9' }
    ) {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; MenuPin = (Secure $Pin) })

        $result.Exit | Should -Be 2 -Because $result.Output
        $result.Output | Should -BeLike "*$Message*"
        $result.Output | Should -Not -BeLike "*$($Pin.Trim())*"
        Get-NanoffCalls | Should -BeNullOrEmpty
        Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
    }

    It 'refuses <Name>' -ForEach @(
        @{ Name = 'a PIN as a menuPin setting, pointing at -MenuPin'; Changes = @{ Setting = @{ menuPin = '4711' } }; Message = "menuPin (-Setting) holds the PIN's hash, not the PIN: give the PIN with -MenuPin" }
        @{ Name = '-MenuPin beside a menuPin setting'; Changes = @{ Setting = @{ menuPin = 'pbkdf2-sha256$2000$x$y' } }; MenuPin = '4711'; Message = 'menuPin: given by -MenuPin and by -Setting: give one' }
        @{ Name = '-MenuPin with -SkipProvisioning'; Changes = @{ SkipProvisioning = $true }; MenuPin = '4711'; Message = '-MenuPin goes into the configuration, which -SkipProvisioning does not write' }
    ) {
        $parameters = With @{ Port = 'COM7'; DeviceId = 'T0001' } $Changes
        if ($_.ContainsKey('MenuPin')) { $parameters.MenuPin = Secure $_.MenuPin }

        $result = Invoke-Flash $parameters

        $result.Exit | Should -Be 2 -Because $result.Output
        $result.Output | Should -BeLike "*$Message*"
        $result.Output | Should -Not -BeLike '*4711*'
        Get-NanoffCalls | Should -BeNullOrEmpty
    }

    It 'leaves the menu closed without -MenuPin (no menuPin written)' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001' })

        $result.Exit | Should -Be 0 -Because $result.Output
        (Get-DeviceConfig).Contains('menuPin') | Should -BeFalse
        Get-FirmwarePinVerdict (Join-Path $script:Capture 'COM7/terminal.json') '1234' | Should -Be 'not set'
    }
}
