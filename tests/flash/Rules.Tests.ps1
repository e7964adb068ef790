#Requires -Version 7.4
# Pester 5 tests: flash.ps1's rules table (flash/config-rules.json, read by flash/Rules.ps1) agrees with the firmware's
# own parser (Terminal.ConfigCheck, published to flash/config-check by .ci/pester.sh) over valid and invalid values of
# every key: what flash.ps1 accepts (after normalising), the terminal accepts; what flash.ps1 refuses, the terminal
# refuses too. The values are made from each rule's own bounds and choices, so a key added to the firmware is covered.

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    . (Join-Path $script:Repo 'flash/Output.ps1')
    . (Join-Path $script:Repo 'flash/Rules.ps1')
    $script:RulesPath = Join-Path $script:Repo 'flash/config-rules.json'
    $script:CheckTool = Join-Path $script:Repo 'flash/config-check/Terminal.ConfigCheck.dll'

    # A terminal.json the firmware accepts, as flash.ps1 writes it (host link pins always set); each case replaces one
    # key. The scanner is on GPIO27/26, free on both boards, and the poll interval at its minimum, so that a case meets
    # no cross-key rule of the firmware unless it is about pins.
    function script:New-BaseDocument {
        [ordered]@{
            deviceId = 'T0001'; keyVersion = 1; key = [Convert]::ToBase64String([byte[]]::new(32)); gatewayUrl = 'https://gw.example.com'
            wifiSsid = 'shop'; wifiPassword = 'secret'; currency = 'USD'; pollIntervalMs = 200
            scannerTx = 27; scannerRx = 26; hostLinkTx = 4; hostLinkRx = 5
        }
    }

    # flash.ps1's verdict on one value: its rule, and for the gateway URL also the device's https-only check, which
    # flash.ps1 applies to -GatewayUrl.
    function script:Test-FlashValue($Rules, $Rule, $Raw) {
        if ($Rule.key -eq 'gatewayUrl') { return Test-GatewayUrl $Rules $Raw }
        return Test-ConfigValue $Rules $Rule $Raw
    }

    # Values worth trying for a rule: each side of every bound, the choices in other cases, wrong types.
    function script:Get-Candidates($Rule, $Rules) {
        $min = [long] $Rule.min; $max = [long] $Rule.max
        switch ($Rule.kind) {
            'integer' { return @(($min - 1), $min, ($min + 1), ($max - 1), $max, ($max + 1), "$min", ' 1500 ', '15x', '1.5', '', -1, 0) }
            { $_ -in 'outputPin', 'inputPin' } { return @(-1) + @(0..40) + @('12', 'GPIO4') }
            'text' {
                $lengths = @(($min - 1), $min, ($min + 1), ($max - 1), $max, ($max + 1)) | Where-Object { $_ -ge 0 } | Sort-Object -Unique
                return @($lengths | ForEach-Object { 'a' * $_ }) + @("tab`there", "caf$([char] 0xE9)", ' spaced ')
            }
            'identifier' { return @('', 'T', ('T' * $max), ('T' * ($max + 1)), 'T-01', 'T 01', ' T01 ', 't0001', "T$([char] 0xE9)") }
            'currency' { return @('USD', 'usd', ' eur ', 'RMB', 'US', 'USDX', '', 'XXX', 'JPY', 'KWD') }
            'choice' {
                return @($Rule.choices) + @($Rule.choices | ForEach-Object { $_.ToUpperInvariant() }) + @($Rule.choices | ForEach-Object { " $_ " }) + @('', 'other', '0x3E')
            }
            'url' {
                return @('https://gw.example.com', 'https://gw.example.com:8443/', 'HTTPS://GW.example.com', 'http://gw.example.com', 'https://',
                    'https:///x', 'ftp://gw.example.com', 'gw.example.com', 'https://gw example.com', ('https://' + 'a' * 249), ('https://' + 'a' * 248))
            }
            'key' {
                return @([Convert]::ToBase64String([byte[]]::new(32)), [Convert]::ToBase64String([byte[]]::new(31)), [Convert]::ToBase64String([byte[]]::new(33)),
                    ('A' * 43 + '='), ('*' * 44), '')
            }
            'pinHash' {
                $salt = 'ab' * 16; $hash = '0f' * 32
                return @("pbkdf2-sha256`$2000`$$salt`$$hash", "pbkdf2-sha256`$1`$$($salt.ToUpperInvariant())`$$hash", "pbkdf2-sha256`$0002000`$$salt`$$hash",
                    "pbkdf2-sha256`$0`$$salt`$$hash", "pbkdf2-sha256`$1000001`$$salt`$$hash", "pbkdf2-sha256`$12345678`$$salt`$$hash",
                    "pbkdf2-sha256`$2000`$$($salt.Substring(2))`$$hash", "pbkdf2-sha256`$2000`$$salt`$$($hash)0", "pbkdf2-sha256`$2000`$$salt`$$($hash.Substring(1))g",
                    "PBKDF2-SHA256`$2000`$$salt`$$hash", "pbkdf2-sha256`$2000`$$salt", '1234', '', ('a' * 161))
            }
            'schedule' {
                return @('1000, 2000', '[0]', "$max", "$($max + 1)", '', '[]', (@(1000) * $Rules.MaxScheduleEntries -join ','),
                    (@(1000) * ($Rules.MaxScheduleEntries + 1) -join ','), '-1', '1000,x')
            }
        }
        throw "no candidates for kind $($Rule.kind): add them here"
    }

    # What the firmware is given for a value flash.ps1 refused: the raw value in the JSON type it looks like.
    function script:ConvertTo-JsonValue($Raw, $Rule) {
        if ($Raw -is [string] -and $Rule.kind -in 'integer', 'outputPin', 'inputPin' -and $Raw.Trim() -match '^-?\d{1,18}$') { return [long] $Raw.Trim() }
        if ($Raw -is [string] -and $Rule.kind -eq 'schedule') {
            $items = @($Raw.Trim('[', ']', ' ') -split ',' | Where-Object { $_.Trim() -ne '' })
            if (-not ($items | Where-Object { $_.Trim() -notmatch '^-?\d{1,18}$' })) { return , [long[]] @($items | ForEach-Object { $_.Trim() }) }
        }
        return , $Raw
    }

    $script:Rules = Read-ConfigRules $script:RulesPath

    # Every case of every key, judged by flash.ps1's rules and by the firmware's parser in one run of the check.
    function script:Get-Verdicts($Rules) {
        $cases = [System.Collections.Generic.List[object]]::new()
        foreach ($rule in $Rules.Rules) {
            foreach ($raw in (Get-Candidates $rule $Rules)) {
                $flash = Test-FlashValue $Rules $rule $raw
                $document = New-BaseDocument
                if ($rule.key -eq 'pollIntervalMs') { $document.Remove('pollIntervalMs') }
                if ($flash.Problem) { $document[$rule.key] = ConvertTo-JsonValue $raw $rule }
                else { $document[$rule.key] = $flash.Value }
                $cases.Add([pscustomobject]@{ Key = $rule.key; Raw = $raw; Flash = $flash; Json = ($document | ConvertTo-Json -Compress -Depth 4) })
            }
        }
        $verdicts = Invoke-FirmwareConfigCheck $script:CheckTool $script:RulesPath @($cases | ForEach-Object Json)
        for ($i = 0; $i -lt $cases.Count; $i++) { $cases[$i] | Add-Member Firmware $verdicts[$i] }
        return $cases
    }

    # The cases where flash.ps1 and the firmware disagree, one line each.
    function script:Get-Disagreements([object[]] $Cases) {
        foreach ($case in $Cases) {
            $flashAccepts = -not $case.Flash.Problem
            $firmwareAccepts = -not $case.Firmware
            # A pin the firmware refuses only because another key of the base document has it is a cross-key rule:
            # flash.ps1 leaves those to the firmware's check, which runs on every device before anything is done.
            if ($flashAccepts -and $case.Firmware -match 'is also set for [A-Za-z0-9]+: every pin serves one part$') { continue }
            # Vending's cross-key rules (docs/vending.md): a mode needs its other keys, COM3 serves the host link or the
            # MDB bridge, a price stays within vendingMaxPrice, a UART's two pins go together.
            if ($flashAccepts -and $case.Firmware -match '(needs the GPIO of the credit output|is also used for [A-Za-z0-9]+: every UART serves one part|is above vendingMaxPrice \(\d+\)|mdbTx and mdbRx go together)$') { continue }
            # So is a panel size, which the firmware accepts only beside a colour display (the base document has an OLED).
            if ($flashAccepts -and $case.Firmware -match '^printer(Tx|Rx): printerTx and printerRx go together$') { continue }
            if ($flashAccepts -and $case.Key -eq 'displaySize' -and $case.Firmware -match '^displaySize: a panel size is for the st7789 and ili9341 displays') { continue }
            if ($flashAccepts -ne $firmwareAccepts) {
                "$($case.Key) '$($case.Raw)': flash.ps1 $(if ($flashAccepts) { 'accepts' } else { "refuses ($($case.Flash.Problem))" }), the firmware $(if ($firmwareAccepts) { 'accepts' } else { "refuses ($($case.Firmware))" }) in $($case.Json)"
            }
        }
    }

    $script:Cases = Get-Verdicts $script:Rules
}

Describe 'the rules table' {
    It 'agrees with the firmware''s parser on every value tried for <_>' -ForEach @(
        (Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../flash/config-rules.json') -Raw | ConvertFrom-Json).rules.key
    ) {
        $cases = @($script:Cases | Where-Object Key -eq $_)
        $cases.Count | Should -BeGreaterOrEqual 6
        @(Get-Disagreements $cases) | Should -BeNullOrEmpty
        @($cases | Where-Object { $_.Flash.Problem }).Count | Should -BeGreaterThan 0 -Because 'each key has values both refuse'
        @($cases | Where-Object { -not $_.Flash.Problem }).Count | Should -BeGreaterThan 0 -Because 'each key has values both accept'
    }

    It 'normalises what the firmware reads exactly: <Key> <Raw> becomes <Value>' -ForEach @(
        @{ Key = 'board'; Raw = 'WROVER'; Value = 'wrover' }
        @{ Key = 'display'; Raw = 'SH1106'; Value = 'sh1106' }
        @{ Key = 'displayAddress'; Raw = '0x3d'; Value = '0x3D' }
        @{ Key = 'currency'; Raw = ' eur '; Value = 'EUR' }
        @{ Key = 'gatewayUrl'; Raw = 'HTTPS://gw.example.com/'; Value = 'https://gw.example.com' }
    ) {
        $case = $script:Cases | Where-Object { $_.Key -eq $Key -and $_.Raw -ceq $Raw }
        if (-not $case) {
            $check = Test-ConfigValue $script:Rules $script:Rules.ByKey[$Key] $Raw
            $check.Value | Should -BeExactly $Value
            return
        }
        $case.Flash.Value | Should -BeExactly $Value
        $case.Firmware | Should -BeNullOrEmpty
    }

    It 'refuses what the issue found accepted: <Key> <Shown>' -ForEach @(
        @{ Key = 'currency'; Raw = 'RMB'; Shown = 'RMB' }
        @{ Key = 'wifiPassword'; Raw = ('p' * 65); Shown = '65 characters' }
        @{ Key = 'board'; Raw = 'esp32'; Shown = 'esp32' }
    ) {
        (Test-ConfigValue $script:Rules $script:Rules.ByKey[$Key] $Raw).Problem | Should -Not -BeNullOrEmpty
    }

    It 'never quotes a secret value in a problem' {
        $problem = (Test-ConfigValue $script:Rules $script:Rules.ByKey['wifiPassword'] ('hunter2' * 10)).Problem
        $problem | Should -BeLike 'wifiPassword: must have 0..64 characters'
        $problem | Should -Not -BeLike '*hunter2*'
    }

    It 'is caught when it drifts from the firmware (negative control)' {
        $drifted = Read-ConfigRules $script:RulesPath
        $drifted.ByKey['pollIntervalMs'].min = 100
        $rule = $drifted.ByKey['pollIntervalMs']
        $flash = Test-FlashValue $drifted $rule 150
        $document = New-BaseDocument
        $document.pollIntervalMs = $flash.Value
        $verdict = (Invoke-FirmwareConfigCheck $script:CheckTool $script:RulesPath @($document | ConvertTo-Json -Compress))[0]
        $case = [pscustomobject]@{ Key = 'pollIntervalMs'; Raw = 150; Flash = $flash; Firmware = $verdict; Json = '' }

        @(Get-Disagreements @($case)) | Should -HaveCount 1
    }
}
