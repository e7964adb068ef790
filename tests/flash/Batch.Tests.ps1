#Requires -Version 7.4
# Pester 5 tests of flash.ps1's batches: reading the CSV (separators, line numbers, column names), the result file,
# resuming after a failure or Ctrl+C from the right step, and the one-cable mode. Fake nanoff and fake admin API as in
# Support.ps1; skipped on Windows (the fake nanoff is a POSIX shell script).

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support.ps1')

    function script:Read-Results([string] $Csv) {
        $path = Join-Path (Split-Path $Csv) ([System.IO.Path]::GetFileNameWithoutExtension($Csv) + '.results.csv')
        $rows = @{}
        foreach ($row in Import-Csv -LiteralPath $path) { $rows[$row.deviceId] = $row }
        return $rows
    }

    # Forgets what the fake nanoff and the fake gateway saw, keeping the boards and the gateway's devices: a rerun.
    function script:Clear-Calls {
        Remove-Item -LiteralPath $env:FAKE_NANOFF_LOG -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $script:Gateway.State.RecordFile -ErrorAction SilentlyContinue
        Remove-Item Env:FAKE_NANOFF_FAIL, Env:FAKE_NANOFF_HANG -ErrorAction SilentlyContinue
    }

    function script:Get-PostPaths {
        @(Get-FakeGatewayRequests $script:Gateway | Where-Object method -eq 'POST' | ForEach-Object { "$($_.path) $((($_.body | ConvertFrom-Json -ErrorAction SilentlyContinue).deviceId))".Trim() })
    }

    $script:ThreeRows = @(
        'port,deviceId,displayName'
        'COM3,T0101,Till 1'
        'COM4,T0102,Till 2'
        'COM5,T0103,Till 3'
    )
}

AfterAll {
    Remove-FlashTestSupport
}

Describe 'flash.ps1 batches' -Skip:$NoPosixShell {
    BeforeEach {
        Reset-FlashTest
    }

    Context 'the device CSV' {
        It 'detects a semicolon separator and keeps commas inside values' {
            $csv = New-DeviceCsv @('port;deviceId;displayName;board', 'COM3;T0101;Till 1, left;WROVER', 'COM4;T0102;Till 2;')

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            $result.Output | Should -BeLike "*devices.csv: 2 device(s), separator ';' (detected)*"
            (Get-DeviceConfig 'COM3').displayName | Should -Be 'Till 1, left'
            (Get-DeviceConfig 'COM3').board | Should -Be 'wrover' -Because 'the firmware reads lower case only'
            Get-NanoffCalls | Should -Contain '--update --target ESP32_PSRAM_REV3 --serialport COM3'
        }

        It 'reads the separator it is given' {
            $csv = New-DeviceCsv @("port`tdeviceId`tcurrency", "COM3`tT0101`teur")

            $result = Invoke-Flash (With @{ DeviceCsv = $csv; CsvDelimiter = 'tab' })

            $result.Exit | Should -Be 0 -Because $result.Output
            $result.Output | Should -BeLike '*separator tab*'
            (Get-DeviceConfig 'COM3').currency | Should -Be 'EUR'
        }

        It 'refuses <Name>, naming the line, before any nanoff or HTTP call' -ForEach @(
            @{ Name = 'a misspelled optional column'; Lines = @('port,deviceId,bord', 'COM3,T0101,wrover'); Messages = @("devices.csv line 1: unknown column 'bord': did you mean 'board'?") }
            @{ Name = 'a misspelled required column'; Lines = @('port,devicId', 'COM3,T0101'); Messages = @("devices.csv line 1: unknown column 'devicId': did you mean 'deviceId'?", "devices.csv line 1: the header has no column 'deviceId'") }
            @{ Name = 'a column for a secret'; Lines = @('port,deviceId,wifiPassword', 'COM3,T0101,x'); Messages = @("column 'wifiPassword' is not a device column: it comes from -WifiPassword: secrets never go into a CSV") }
            @{ Name = 'bad values, each with its line'; Lines = @('port,deviceId,board', 'COM3,T0101,', '', 'COM4,T 03,', 'COM5,T0105', 'COM7,T0106,esp8266'); Messages = @(
                    "devices.csv line 4: deviceId 'T 03': letters and digits only", 'devices.csv line 5: 2 values for 3 columns (separator '','')',
                    "devices.csv line 6: board 'esp8266': must be 'wroom' or 'wrover' (column board)") }
            @{ Name = 'two rows on one port'; Lines = @('port,deviceId', 'COM3,T0101', 'COM3,T0102'); Messages = @('port COM3 appears on lines 2 and 3: each board needs its own port, or give -Port COM3 to flash the rows one after another with one cable') }
            @{ Name = 'one device id twice'; Lines = @('port,deviceId', 'COM3,T0101', 'COM4,t0101'); Messages = @('deviceId T0101 appears on lines 2 and 3') }
            @{ Name = 'a value the firmware''s parser refuses'; Lines = @('port,deviceId,board', 'COM3,T0101,', 'COM4,T0102,wrover'); Extra = @{ Setting = @{ scannerTx = 17 } }; Messages = @('devices.csv line 3: the firmware refuses the configuration of T0102: scannerTx: GPIO17 is wired to the PSRAM on WROVER boards') }
            @{ Name = 'a semicolon CSV read with a comma'; Lines = @('port;deviceId', 'COM3;T0101'); Extra = @{ CsvDelimiter = 'comma' }; Messages = @("unknown column 'port;deviceId'", "the header has no column 'deviceId' (the header is one field with separator ',': give -CsvDelimiter)") }
        ) {
            $csv = New-DeviceCsv $Lines
            $extra = if ($Extra) { $Extra } else { @{} }

            $result = Invoke-Flash (With (@{ DeviceCsv = $csv } + $extra))

            $result.Exit | Should -Be 2 -Because $result.Output
            foreach ($message in $Messages) { $result.Output | Should -BeLike "*$message*" }
            Get-NanoffCalls | Should -BeNullOrEmpty
            Get-FakeGatewayRequests $script:Gateway | Should -BeNullOrEmpty
        }

        It 'refuses a CSV that is not UTF-8, saying how to save it' {
            $csv = Join-Path $script:Run 'devices.csv'
            [System.IO.File]::WriteAllBytes($csv, [byte[]] @([System.Text.Encoding]::ASCII.GetBytes("port,deviceId,displayName`nCOM3,T0101,Caf") + 0xE9 + 10))

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 2
            $result.Output | Should -BeLike "*devices.csv is not UTF-8 text. What to do: save it as 'CSV UTF-8'*"
        }

        It 'takes any configuration key as a column, per row' {
            $csv = New-DeviceCsv @('port,deviceId,displayAddress,pollIntervalMs,display', 'COM3,T0101,0x3d,1500,sh1106', 'COM4,T0102,,,')

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            $first = Get-DeviceConfig 'COM3'
            @($first.displayAddress, $first.pollIntervalMs, $first.display) | Should -Be @('0x3D', 1500, 'sh1106')
            (Get-DeviceConfig 'COM4').Keys | Should -Not -Contain 'displayAddress' -Because 'an empty cell leaves the firmware''s default'
        }
    }

    Context 'the result file and resuming' {
        It 'records each row''s outcome and step, without secrets' {
            $env:FAKE_NANOFF_FAIL = '--deploy@COM4:9009'
            $csv = New-DeviceCsv $script:ThreeRows

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 1
            $result.Output | Should -BeLike "*Results: $(Join-Path $script:Run 'devices.results.csv')*"
            $rows = Read-Results $csv
            @($rows['T0101'].line, $rows['T0101'].status, $rows['T0101'].step) | Should -Be @('2', 'OK', 'done')
            @($rows['T0102'].line, $rows['T0102'].status, $rows['T0102'].step, $rows['T0102'].registered, $rows['T0102'].keyOnDevice) | Should -Be @('3', 'FAILED', 'app', 'yes', 'yes')
            $rows['T0102'].message | Should -BeLike 'nanoff E9009:*'
            $rows['T0102'].mac | Should -Match '^([0-9A-F]{2}:){5}[0-9A-F]{2}$'
            $rows['T0103'].status | Should -Be 'OK'
            foreach ($secret in $script:Token, $script:WifiPass, (Get-FakeDeviceKey 'T0101')) {
                Get-WrittenText | Should -Not -BeLike "*$secret*"
            }
        }

        It 'on a rerun skips the rows done and redoes a failed one from the step it failed at' {
            $env:FAKE_NANOFF_FAIL = '--deploy@COM4:9009'
            $csv = New-DeviceCsv $script:ThreeRows
            $null = Invoke-Flash (With @{ DeviceCsv = $csv })
            Clear-Calls

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            $result.Output | Should -BeLike '*line 2: T0101 was done in an earlier run: skipped*'
            $result.Output | Should -BeLike "*resuming from step 'app'*"
            Get-PortCalls 'COM3' | Should -BeNullOrEmpty
            Get-PortCalls 'COM5' | Should -BeNullOrEmpty
            Get-PortCalls 'COM4' | Should -Be @('--platform esp32 --serialport COM4 --devicedetails', "--nanodevice --deploy --serialport COM4 --image $script:Image", '--nanodevice --devicedetails --serialport COM4')
            Get-PostPaths | Should -BeNullOrEmpty -Because 'the board has its key'
            (Read-Results $csv).GetEnumerator() | Sort-Object Key | ForEach-Object { $_.Value.status } | Should -Be @('OK', 'OK', 'OK')
        }

        It 'rotates the key of a row whose board never got it, and only that one' {
            $env:FAKE_NANOFF_FAIL = '--filedeployment@COM4:2003'
            $csv = New-DeviceCsv $script:ThreeRows
            $first = Invoke-Flash (With @{ DeviceCsv = $csv })
            $first.Output | Should -BeLike '*The device is registered but did not get its key: running the same command again resumes it with a new key.*'
            Clear-Calls

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            Get-PostPaths | Should -Be @('/admin/devices/T0102/rotate-key')
            (Get-DeviceConfig 'COM4').keyVersion | Should -Be 2
            Get-PortCalls 'COM4' | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty -Because 'the firmware was flashed'
            Get-PortCalls 'COM3' | Should -BeNullOrEmpty
        }

        It 'rotates the key when the registration reached the gateway but its answer was lost' {
            Set-FakeGatewayAnswerLost $script:Gateway @('T0102')
            $csv = New-DeviceCsv $script:ThreeRows
            $first = Invoke-Flash (With @{ DeviceCsv = $csv })
            (Read-Results $csv)['T0102'].registered | Should -Be 'attempted'
            $first.Output | Should -BeLike '*HTTP 500*'
            Clear-Calls
            Set-FakeGatewayAnswerLost $script:Gateway @()

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            Get-PostPaths | Should -Be @('/admin/devices/T0102/rotate-key') -Because 'the gateway knows T0102 from the lost answer'
            Get-PortCalls 'COM4' | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty
        }

        It 'starts a row again from the firmware when a different board is on its port, rotating its key' {
            Set-Board 'COM4' '24:0A:C4:00:00:0A'
            $env:FAKE_NANOFF_FAIL = '--deploy@COM4:9009'
            $csv = New-DeviceCsv $script:ThreeRows
            $null = Invoke-Flash (With @{ DeviceCsv = $csv })
            Clear-Calls
            Set-Board 'COM4' '24:0A:C4:00:00:0B'

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            $result.Output | Should -BeLike '*a different board than the one this row started on (MAC 24:0A:C4:00:00:0A, now 24:0A:C4:00:00:0B): starting again from the firmware*'
            Get-PortCalls 'COM4' | Should -Contain '--update --target ESP32_REV3 --serialport COM4'
            Get-PostPaths | Should -Be @('/admin/devices/T0102/rotate-key')
            (Read-Results $csv)['T0102'].mac | Should -Be '24:0A:C4:00:00:0B'
        }

        It 'does not take over a device registered before the batch without -RotateKey' {
            $csv = New-DeviceCsv @('port,deviceId', 'COM3,T0409')

            $result = Invoke-Flash (With @{ DeviceCsv = $csv; PassThru = $true })

            $result.Results[0].Message | Should -BeLike '*already registered*-RotateKey*'
            Get-PostPaths | Should -BeNullOrEmpty
        }

        It 'refuses a board that is already another row''s' {
            Set-Board 'COM3' '24:0A:C4:00:00:0A'
            Set-Board 'COM4' '24:0A:C4:00:00:0A'
            $csv = New-DeviceCsv $script:ThreeRows

            $result = Invoke-Flash (With @{ DeviceCsv = $csv; PassThru = $true })

            ($result.Results | Where-Object DeviceId -eq 'T0102').Message | Should -BeLike 'the board on COM4 (MAC 24:0A:C4:00:00:0A) is T0101''s*'
            Get-PortCalls 'COM4' | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty
        }
    }

    Context 'Ctrl+C' {
        It 'stops a batch cleanly, records the row and says what to do; the rerun rotates the key the board never got' {
            $env:FAKE_NANOFF_HANG = '--filedeployment@COM4'
            $csv = New-DeviceCsv $script:ThreeRows
            $started = Start-FlashProcess (Get-ProcessArguments @{ DeviceCsv = $csv })
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and @(Get-NanoffCalls | Where-Object { $_ -like '--filedeployment *' }).Count -lt 2) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            & kill -INT -- "-$($started.Process.Id)"
            $run = Wait-FlashProcess $started

            $run.Exit | Should -Be 130 -Because $run.Output
            $run.Output | Should -BeLike "*Interrupted during step 'configure' of T0102. What to do: run the same command again: devices done are skipped and T0102 is registered at the gateway but its board never got the key; the rerun rotates it*"
            $rows = Read-Results $csv
            @($rows['T0101'].status, $rows['T0102'].status, $rows['T0102'].step, $rows['T0102'].registered, $rows['T0102'].keyOnDevice, $rows['T0103'].status) |
                Should -Be @('OK', 'INTERRUPTED', 'configure', 'yes', '', '')
            $log = Get-Content -LiteralPath (Get-ChildItem -LiteralPath $script:Logs -Filter 'T0102-*.log').FullName -Raw
            $log | Should -BeLike "*interrupted (Ctrl+C) during step 'configure'*"
            Get-PortCalls 'COM5' | Should -BeNullOrEmpty -Because 'the batch stops at Ctrl+C'
            Clear-Calls

            $result = Invoke-Flash (With @{ DeviceCsv = $csv })

            $result.Exit | Should -Be 0 -Because $result.Output
            Get-PostPaths | Should -Be @('/admin/devices/T0102/rotate-key', '/admin/devices T0103')
            Get-PortCalls 'COM3' | Should -BeNullOrEmpty
            Get-PortCalls 'COM4' | Where-Object { $_ -like '--update *' } | Should -BeNullOrEmpty
            (Get-DeviceConfig 'COM4').keyVersion | Should -Be 2
            (Read-Results $csv).GetEnumerator() | Sort-Object Key | ForEach-Object { $_.Value.status } | Should -Be @('OK', 'OK', 'OK')
        }

        It 'tells a single device''s technician the command that recovers the key' {
            $env:FAKE_NANOFF_HANG = '--filedeployment'
            $started = Start-FlashProcess (Get-ProcessArguments @{ Port = 'COM7'; DeviceId = 'T0001' })
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not (Get-NanoffCalls | Where-Object { $_ -like '--filedeployment *' })) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            & kill -INT -- "-$($started.Process.Id)"
            $run = Wait-FlashProcess $started

            $run.Exit | Should -Be 130 -Because $run.Output
            $run.Output | Should -BeLike "*Interrupted during step 'configure' of T0001. T0001 is registered at the gateway but its board never got the key. What to do: run again with -SkipFirmware -RotateKey.*"
        }
    }

    Context 'one cable' {
        BeforeEach {
            # The technician at the keyboard: each prompt is answered by the next action on the board at COM5.
            $global:FlashPrompts = [System.Collections.Generic.List[string]]::new()
            $global:FlashActions = [System.Collections.Generic.Queue[string]]::new()
            $global:FlashBoards = $script:Boards
            $env:FAKE_NANOFF_PORTS = 'COM3'
            function global:Read-Host([object] $Prompt) {
                $global:FlashPrompts.Add([string] $Prompt)
                $action = $global:FlashActions.Dequeue()
                if ($action -eq 'unplugged') { $env:FAKE_NANOFF_PORTS = 'COM3' }
                elseif ($action -ne 'same') {
                    $env:FAKE_NANOFF_PORTS = 'COM3 COM5'
                    $null = New-Item -ItemType Directory -Force -Path (Join-Path $global:FlashBoards 'COM5')
                    Set-Content -LiteralPath (Join-Path $global:FlashBoards 'COM5/mac') -Value $action -NoNewline
                }
                return ''
            }
        }

        AfterEach {
            Remove-Item Function:\Read-Host -ErrorAction SilentlyContinue
            Remove-Variable FlashPrompts, FlashActions, FlashBoards -Scope Global -ErrorAction SilentlyContinue
        }

        It 'flashes the rows one after another on one port, asking for each board and refusing one it already did' {
            foreach ($action in 'unplugged', '24:0A:C4:00:00:A1', 'same', '24:0A:C4:00:00:B2', '24:0A:C4:00:00:C3') { $global:FlashActions.Enqueue($action) }
            $csv = New-DeviceCsv @('deviceId,displayName', 'T0101,Till 1', 'T0102,Till 2', 'T0103,Till 3')

            $result = Invoke-Flash (With @{ DeviceCsv = $csv; Port = 'COM5' })

            $result.Exit | Should -Be 0 -Because $result.Output
            $global:FlashPrompts | Should -Be @(
                '[1/3] Connect the board for T0101 (line 2) to COM5, then press Enter'
                'COM5 is not there: plug the board for T0101 in with a data USB cable, then press Enter'
                '[2/3] Connect the board for T0102 (line 3) to COM5, then press Enter'
                'The board on COM5 is T0101''s (MAC 24:0A:C4:00:00:A1): connect the board for T0102 instead, then press Enter'
                '[3/3] Connect the board for T0103 (line 4) to COM5, then press Enter'
            )
            $rows = Read-Results $csv
            @($rows['T0101'].mac, $rows['T0102'].mac, $rows['T0103'].mac) | Should -Be @('24:0A:C4:00:00:A1', '24:0A:C4:00:00:B2', '24:0A:C4:00:00:C3')
            foreach ($board in @{ Mac = '24:0A:C4:00:00:A1'; Id = 'T0101' }, @{ Mac = '24:0A:C4:00:00:B2'; Id = 'T0102' }, @{ Mac = '24:0A:C4:00:00:C3'; Id = 'T0103' }) {
                $config = Get-Content -LiteralPath (Join-Path $script:Capture "mac-$($board.Mac -replace ':', '')/terminal.json") -Raw | ConvertFrom-Json
                $config.deviceId | Should -Be $board.Id
            }
            @(Get-PortCalls 'COM5' | Where-Object { $_ -like '--update *' }).Count | Should -Be 3
        }

        It 'refuses a port column that names another port' {
            $csv = New-DeviceCsv @('port,deviceId', 'COM5,T0101', 'COM4,T0102')

            $result = Invoke-Flash (With @{ DeviceCsv = $csv; Port = 'COM5' })

            $result.Exit | Should -Be 2
            $result.Output | Should -BeLike "*devices.csv line 3: port 'COM4', but -Port COM5 flashes every row on COM5 (one cable)*"
            $global:FlashPrompts | Should -BeNullOrEmpty
        }
    }
}
