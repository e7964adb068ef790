#Requires -Version 7.4
# Pester 5 tests of flash.ps1 installing the loader and the first bundle on a board that takes over-the-air updates
# (docs/ota.md, "On the ESP32"; docs/flashing.md), against the fake nanoff (Support.ps1), whose boards say their flash
# size and whose storage keeps every file under its destination path.

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support.ps1')

    function script:Get-Stored([string] $Port, [string] $Path) {
        Join-Path $script:Capture "$Port/storage/$Path"
    }
}

AfterAll {
    Remove-FlashTestSupport
}

Describe 'flash.ps1 on boards that take updates' -Skip:$NoPosixShell {
    BeforeEach {
        Reset-FlashTest
        # Each test its own bundle: some damage it.
        $script:Bundle = New-TestBundle (Join-Path $script:Run 'bundle')
        $script:Common.Bundle = $script:Bundle
    }

    It 'installs the bundle on I:\ota\installed, then deploys the boot program image instead of the application image' {
        Set-Board 'COM7' '24:0A:C4:00:00:07' '8MB'
        Set-Content -LiteralPath (Join-Path $script:Boards 'COM7/flash') -Value '8' -NoNewline

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; PassThru = $true })

        $result.Exit | Should -Be 0 -Because $result.Output
        $calls = @(Get-NanoffCalls)
        $calls.Count | Should -Be 8
        $calls[2] | Should -BeExactly '--update --target ESP32_PSRAM_REV3 --serialport COM7'
        $calls[3] | Should -Match '^--filedeployment ' -Because 'the configuration comes first'
        $calls[4] | Should -Match '^--filedeployment ' -Because 'then the bundle''s files'
        $calls[5] | Should -Match '^--filedeployment ' -Because 'then its load list, before the boot program that reads it'
        $calls[6] | Should -BeExactly "--nanodevice --deploy --serialport COM7 --image $script:BootImage"
        $calls | Should -Not -Contain "--nanodevice --deploy --serialport COM7 --image $script:Image"

        foreach ($name in 'Terminal.Core.pe', 'Terminal.Esp32.pe') {
            [System.IO.File]::ReadAllBytes((Get-Stored 'COM7' "ota/installed/$name.0")) | Should -Be ([System.IO.File]::ReadAllBytes((Join-Path $script:Bundle $name)))
        }
        [System.IO.File]::ReadAllText((Get-Stored 'COM7' 'ota/installed/load.lst.0')) |
            Should -BeExactly "Terminal.Esp32.Program.LoaderMain`nTerminal.Core.pe`nTerminal.Esp32.pe`n" -Because 'Terminal.Loader''s LoadList: entry, then the files in load order'
        Test-Path -LiteralPath (Get-Stored 'COM7' 'terminal.json') | Should -BeTrue
        $result.Results[0].Message | Should -BeLike '*takes updates, version 1.0.0 installed*'
    }

    It 'removes the old load list first, starts the boot record afresh, and writes the load list in a deployment of its own' {
        Set-Board 'COM7' '24:0A:C4:00:00:07' '8MB'
        Set-Content -LiteralPath (Join-Path $script:Boards 'COM7/flash') -Value '16' -NoNewline

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; SkipProvisioning = $true })

        $result.Exit | Should -Be 0 -Because $result.Output
        $deployment = Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/deploy-0.json') -Raw | ConvertFrom-Json
        $deployment.Files.DestinationFilePath | Should -Be @(
            'I:\ota\installed\load.lst.0', 'I:\ota\boot\boot.0', 'I:\ota\boot\boot.1',
            'I:\ota\installed\Terminal.Core.pe.0', 'I:\ota\installed\Terminal.Esp32.pe.0')
        @($deployment.Files[0..2] | Where-Object { $_.PSObject.Properties['SourceFilePath'] }) | Should -BeNullOrEmpty -Because 'entries without a source delete'
        $loadList = Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/deploy-1.json') -Raw | ConvertFrom-Json
        $loadList.Files.DestinationFilePath | Should -Be @('I:\ota\installed\load.lst.0')
    }

    It 'deploys the whole application image on <Name>' -ForEach @(
        @{ Name = 'a wrover with 4 MB flash (I: has 256 KB)'; Board = 'wrover'; Flash = '4'; Extra = @{}; Note = '*no updates: 4 MB flash*' }
        @{ Name = 'a wroom with 8 MB flash (no PSRAM firmware)'; Board = 'wroom'; Flash = '8'; Extra = @{}; Note = '' }
        @{ Name = 'a wrover with 8 MB flash and -NoUpdates'; Board = 'wrover'; Flash = '8'; Extra = @{ NoUpdates = $true; Bundle = '/no/such/bundle' }; Note = '' }
    ) {
        Set-Board 'COM7' '24:0A:C4:00:00:07' $(if ($Board -eq 'wrover') { '8MB' } else { 'not available' })
        Set-Content -LiteralPath (Join-Path $script:Boards 'COM7/flash') -Value $Flash -NoNewline

        $result = Invoke-Flash (With (@{ Port = 'COM7'; DeviceId = 'T0001'; Board = $Board; PassThru = $true } + $Extra))

        $result.Exit | Should -Be 0 -Because $result.Output
        Get-NanoffCalls | Should -Contain "--nanodevice --deploy --serialport COM7 --image $script:Image"
        Get-NanoffCalls | Should -Not -Contain "--nanodevice --deploy --serialport COM7 --image $script:BootImage"
        Test-Path -LiteralPath (Get-Stored 'COM7' 'ota') | Should -BeFalse
        if ($Note) { $result.Results[0].Message | Should -BeLike $Note }
        else { $result.Results[0].Message | Should -Not -BeLike '*no updates*' -Because 'only a PSRAM board is told why it takes none' }
    }

    It 'refuses <Name> with exit code 2 before anything is flashed, when a board may take updates' -ForEach @(
        @{ Name = 'a bundle without manifest'; Damage = { param($b) Remove-Item (Join-Path $b 'manifest.json') }; Message = '*has no manifest.json*-NoUpdates*' }
        @{ Name = 'a file that does not match its SHA-256'; Damage = { param($b) $f = Join-Path $b 'Terminal.Core.pe'; $x = [System.IO.File]::ReadAllBytes($f); $x[100] = $x[100] -bxor 1; [System.IO.File]::WriteAllBytes($f, $x) }; Message = '*Terminal.Core.pe does not match its SHA-256*' }
        @{ Name = 'a truncated file'; Damage = { param($b) $f = Join-Path $b 'Terminal.Esp32.pe'; $x = [System.IO.File]::ReadAllBytes($f); [System.IO.File]::WriteAllBytes($f, $x[0..99]) }; Message = '*Terminal.Esp32.pe has 100 bytes, the manifest says*' }
        @{ Name = 'a missing file'; Damage = { param($b) Remove-Item (Join-Path $b 'Terminal.Esp32.pe') }; Message = '*Terminal.Esp32.pe is missing*' }
        @{ Name = 'a missing boot program image'; Damage = { param($b) $script:Common.BootImage = '/no/such/boot.bin' }; Message = "*boot program image '/no/such/boot.bin' not found*" }
    ) {
        & $Damage $script:Bundle

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover' })

        $result.Exit | Should -Be 2 -Because $result.Output
        $result.Output | Should -BeLike $Message
        Get-NanoffCalls | Should -BeNullOrEmpty
        Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
    }

    It 'does not look at the bundle when no board of the run can take updates' {
        Remove-Item (Join-Path $script:Bundle 'manifest.json')

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wroom' })

        $result.Exit | Should -Be 0 -Because $result.Output
    }

    It 'fails the app step, and deploys no boot program, when the device refuses a file of the bundle' {
        Set-Board 'COM7' '24:0A:C4:00:00:07' '8MB'
        Set-Content -LiteralPath (Join-Path $script:Boards 'COM7/flash') -Value '8' -NoNewline
        $env:FAKE_NANOFF_REFUSE = 'I:\ota\installed\Terminal.Esp32.pe.0'

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; PassThru = $true })

        $result.Exit | Should -Be 1 -Because $result.Output
        $result.Results[0].Status | Should -Be 'FAILED'
        $result.Results[0].Step | Should -Be 'app'
        $result.Results[0].Message | Should -BeLike '*refused 1 file(s) on I: (I:\ota\installed\Terminal.Esp32.pe.0)*'
        Get-NanoffCalls | Should -Not -Contain "--nanodevice --deploy --serialport COM7 --image $script:BootImage"
        Test-Path -LiteralPath (Get-Stored 'COM7' 'ota/installed/Terminal.Core.pe.0') | Should -BeTrue -Because 'nanoff goes on after a refused file'
        Test-Path -LiteralPath (Get-Stored 'COM7' 'ota/installed/load.lst.0') | Should -BeFalse -Because 'the load list is written only after the device accepted every file'
    }

    It 'fails the configure step when the device refuses terminal.json, although nanoff exits 0' {
        $env:FAKE_NANOFF_REFUSE = 'I:\terminal.json'

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0001'; PassThru = $true })

        $result.Exit | Should -Be 1 -Because $result.Output
        $result.Results[0].Step | Should -Be 'configure'
        $result.Results[0].Message | Should -BeLike '*refused 1 file(s) on I: (I:\terminal.json)*'
    }

    It 'says in -WhatIf what it would install on a PSRAM board' {
        # A separate process, as a technician runs it ("What if:" lines go to the host, not to a stream).
        $run = Wait-FlashProcess (Start-FlashProcess (Get-ProcessArguments @{ Port = 'COM7'; DeviceId = 'T0001'; Board = 'wrover'; WhatIf = $true }))

        $run.Exit | Should -Be 0 -Because $run.Output
        $run.Output | Should -BeLike "*What if: *Deploy application image $($script:Image), or with 8 MB flash install bundle 1.0.0 and the boot program image $($script:BootImage)*"
        Get-NanoffCalls | Where-Object { $_ -like '--filedeployment *' -or $_ -like '*--deploy *' } | Should -BeNullOrEmpty -Because 'a dry run changes nothing'
    }
}
