# The terminal's configuration rules for flash.ps1. flash/config-rules.json is generated from the firmware's own table
# (TerminalConfig.Rules(); regenerate: dotnet run --project Terminal.ConfigCheck -- rules flash/config-rules.json), so a
# key, bound or allowed value added to the firmware reaches flash.ps1 without a code change here. Each value is checked
# and normalised by its rule's kind exactly as ConfigRule.Read checks it on the device; the firmware's parser then
# judges the whole file (Invoke-FirmwareConfigCheck) before anything is flashed or registered.

function Read-ConfigRules([string] $Path) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        throw "the configuration rules file '$Path' is missing. What to do: keep the flash folder beside flash.ps1 (a release folder and the repository both have it)."
    }
    $file = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json
    $byKey = [ordered]@{}
    foreach ($rule in $file.rules) { $byKey[$rule.key] = $rule }
    return [pscustomobject]@{
        Rules              = @($file.rules)
        ByKey              = $byKey
        Currencies         = [System.Collections.Generic.HashSet[string]]::new([string[]] @($file.currencies), [StringComparer]::Ordinal)
        MaxScheduleEntries = [int] $file.maxScheduleEntries
    }
}

# The rule of $Key, matched without regard to case ("DisplayName" finds displayName), or $null.
function Find-ConfigRule($Rules, [string] $Key) {
    foreach ($rule in $Rules.Rules) {
        if ([string]::Equals($rule.key, $Key, [StringComparison]::OrdinalIgnoreCase)) { return $rule }
    }
    return $null
}

# Levenshtein distance without regard to case.
function Get-EditDistance([string] $A, [string] $B) {
    $a = $A.ToLowerInvariant(); $b = $B.ToLowerInvariant()
    $previous = [int[]] (0..$b.Length)
    for ($i = 1; $i -le $a.Length; $i++) {
        $current = [int[]]::new($b.Length + 1)
        $current[0] = $i
        for ($j = 1; $j -le $b.Length; $j++) {
            $cost = if ($a[$i - 1] -eq $b[$j - 1]) { 0 } else { 1 }
            $current[$j] = [Math]::Min([Math]::Min($previous[$j] + 1, $current[$j - 1] + 1), $previous[$j - 1] + $cost)
        }
        $previous = $current
    }
    return $previous[$b.Length]
}

# "did you mean 'board'?" for a name close to a known one, else the list of known names.
function Get-NameHint([string] $Name, [string[]] $Known) {
    $best = $null; $bestDistance = [int]::MaxValue
    foreach ($candidate in $Known) {
        $distance = Get-EditDistance $Name $candidate
        if ($distance -lt $bestDistance) { $best = $candidate; $bestDistance = $distance }
    }
    if ($best -and $bestDistance -le [Math]::Max(2, [int][Math]::Floor($Name.Length / 3))) { return "did you mean '$best'?" }
    return "known names: $($Known -join ', ')"
}

function ConvertTo-RuleText($Raw) {
    if ($Raw -is [string]) { return $Raw }
    if ($Raw -is [System.IFormattable]) { return $Raw.ToString($null, [cultureinfo]::InvariantCulture) }
    return [string] $Raw
}

# Checks one value by its rule; returns @{ Value = the value to write (normalised, typed); Problem = $null or what is
# wrong, never quoting a secret value }.
function Test-ConfigValue($Rules, $Rule, $Raw) {
    $problem = $null
    $value = $null
    $shown = if ($Rule.secret) { '' } else { " '$(ConvertTo-RuleText $Raw)'" }

    # A text as ConfigRule.Text reads it: Min..Max characters, no control characters.
    $text = {
        param($candidate)
        if ($candidate.Length -lt $Rule.min -or $candidate.Length -gt $Rule.max) {
            if ($Rule.min -eq $Rule.max) { return "must have $($Rule.max) characters" }
            return "must have $($Rule.min)..$($Rule.max) characters"
        }
        if ($candidate -match '[\x00-\x1F]') { return 'control characters are not allowed' }
        return $null
    }
    $number = {
        param($candidate, [long] $min, [long] $max)
        $digits = (ConvertTo-RuleText $candidate).Trim()
        $parsed = 0L
        if ($digits -notmatch '^-?[0-9]{1,19}$' -or -not [long]::TryParse($digits, [ref] $parsed)) { return @{ Value = $null; Problem = 'must be a whole number' } }
        if ($parsed -lt $min -or $parsed -gt $max) { return @{ Value = $null; Problem = "must be $min..$max" } }
        return @{ Value = $parsed; Problem = $null }
    }

    switch ($Rule.kind) {
        'text' {
            $value = ConvertTo-RuleText $Raw
            $problem = & $text $value
        }
        'identifier' {
            $value = (ConvertTo-RuleText $Raw).Trim()
            $problem = & $text $value
            if (-not $problem -and $value -cnotmatch '^[A-Za-z0-9]*$') { $problem = 'letters and digits only' }
        }
        'currency' {
            $value = (ConvertTo-RuleText $Raw).Trim().ToUpperInvariant()
            if (-not $Rules.Currencies.Contains($value)) {
                $problem = 'must be an ISO 4217 code the terminal can format, e.g. USD (the list is in flash/config-rules.json)'
            }
        }
        'choice' {
            $given = (ConvertTo-RuleText $Raw).Trim()
            $value = $Rule.choices | Where-Object { [string]::Equals($_, $given, [StringComparison]::OrdinalIgnoreCase) } | Select-Object -First 1
            if ($null -eq $value) { $problem = "must be $(($Rule.choices | ForEach-Object { "'$_'" }) -join ' or ')" }
        }
        'integer' {
            $result = & $number $Raw $Rule.min $Rule.max
            $value = $result.Value; $problem = $result.Problem
        }
        { $_ -in 'outputPin', 'inputPin' } {
            $result = & $number $Raw 0 39
            $value = $result.Value; $problem = $result.Problem
            if (-not $problem) {
                $value = [int] $value
                if ($value -ge 6 -and $value -le 11) { $problem = "GPIO$value belongs to the SPI flash (6..11)" }
                elseif ($value -gt $Rule.max) { $problem = "GPIO$value is input-only" }
            }
        }
        'url' {
            $value = (ConvertTo-RuleText $Raw).Trim()
            $value = $value -replace '^(?i:https)://', 'https://' -replace '^(?i:http)://', 'http://'
            $problem = & $text $value
            if (-not $problem) {
                $https = $value.StartsWith('https://')
                if (-not $https -and -not $value.StartsWith('http://')) { $problem = 'must start with https://' }
                else {
                    $hostStart = if ($https) { 8 } else { 7 }
                    if ($value.Length -eq $hostStart -or $value[$hostStart] -eq '/' -or $value.Contains(' ')) { $problem = 'must name a host, e.g. https://gw.example.com:8443' }
                }
            }
            if (-not $problem -and $value.EndsWith('/')) { $value = $value.Substring(0, $value.Length - 1) }
        }
        'key' {
            $value = ConvertTo-RuleText $Raw
            $bytes = $null
            try { $bytes = [Convert]::FromBase64String($value) } catch { $bytes = $null }
            if ($value.Length -ne 44 -or $null -eq $bytes -or $bytes.Length -ne 32) { $problem = 'must be the standard base64 of 32 bytes (44 characters)' }
        }
        'pinHash' {
            # The form the terminal's PIN vault reads (Terminal.Countertop PinHash.Parse); flash.ps1 -MenuPin writes it.
            $value = ConvertTo-RuleText $Raw
            $problem = & $text $value
            # Empty: no PIN, the menu stays closed.
            if (-not $problem -and $value -ne '') {
                if ($value -cnotmatch '^pbkdf2-sha256\$([0-9]{1,7})\$([0-9A-Fa-f]*)\$([0-9A-Fa-f]*)$') {
                    $problem = 'must be pbkdf2-sha256$<iterations>$<salt: 32 hex digits>$<hash: 64 hex digits>: give the PIN with -MenuPin, flash.ps1 writes its hash'
                }
                elseif ([long] $Matches[1] -lt 1 -or [long] $Matches[1] -gt 1000000) { $problem = 'iterations must be 1..1000000' }
                elseif ($Matches[2].Length -ne 32) { $problem = 'the salt must be 32 hex digits' }
                elseif ($Matches[3].Length -ne 64) { $problem = 'the hash must be 64 hex digits' }
            }
        }
        'schedule' {
            $items = if ($Raw -is [System.Collections.IEnumerable] -and $Raw -isnot [string]) { @($Raw) }
            else { @((ConvertTo-RuleText $Raw).Trim().TrimStart('[').TrimEnd(']') -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' }) }
            if ($items.Count -eq 0) { $problem = 'needs at least one wait' }
            elseif ($items.Count -gt $Rules.MaxScheduleEntries) { $problem = "at most $($Rules.MaxScheduleEntries) waits" }
            else {
                $value = [System.Collections.Generic.List[int]]::new()
                foreach ($item in $items) {
                    $result = & $number $item $Rule.min $Rule.max
                    if ($result.Problem) { $problem = "each wait $($result.Problem)"; break }
                    $value.Add([int] $result.Value)
                }
                $value = $value.ToArray()
            }
        }
        default { $problem = "has kind '$($Rule.kind)', which this flash.ps1 does not know. What to do: use the flash.ps1 that came with flash/config-rules.json" }
    }

    if ($problem) { $problem = "$($Rule.key)$shown`: $problem" }
    return @{ Value = $value; Problem = $problem }
}

# The gateway URL as the device takes it: the url rule, and https only (the device's own check, DeviceConfigChecks).
function Test-GatewayUrl($Rules, $Raw) {
    $check = Test-ConfigValue $Rules $Rules.ByKey['gatewayUrl'] $Raw
    if (-not $check.Problem -and -not $check.Value.StartsWith('https://')) {
        $check.Problem = "gatewayUrl '$Raw': must use https: the terminal talks to the gateway over https only"
    }
    return $check
}

# The firmware's own verdict on each document (one terminal.json per element, as JSON text): runs
# Terminal.ConfigCheck (the firmware's parser and the device's own checks) once for all of them. Returns one
# $null (accepted) or "property: problem" per document. The check tool must be built from the same rules as
# flash/config-rules.json.
function Invoke-FirmwareConfigCheck([string] $Tool, [string] $RulesPath, [string[]] $Documents) {
    if (-not (Test-Path -LiteralPath $Tool -PathType Leaf)) {
        throw "the firmware's configuration check '$Tool' is missing. What to do: a release folder has it in flash/config-check; in the repository run once: dotnet publish Terminal.ConfigCheck -c Release -o flash/config-check"
    }
    if (-not (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'dotnet is not on PATH, so the firmware''s configuration check cannot run. What to do: install the .NET 10 SDK (it also runs nanoff) and open a new terminal.'
    }

    $folder = [System.IO.Directory]::CreateTempSubdirectory('terminal-flash-check-')
    try {
        $utf8 = [System.Text.UTF8Encoding]::new($false)
        $rulesCopy = Join-Path $folder.FullName 'rules.json'
        $output = & dotnet $Tool rules $rulesCopy 2>&1
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $rulesCopy)) {
            throw "the firmware's configuration check '$Tool' did not run ($(($output | Out-String).Trim())). What to do: install the .NET 10 SDK or runtime, or publish the check again (docs/flashing.md)."
        }
        if ((Get-Content -LiteralPath $rulesCopy -Raw).Replace("`r`n", "`n") -ne (Get-Content -LiteralPath $RulesPath -Raw).Replace("`r`n", "`n")) {
            throw "the firmware's configuration check '$Tool' was built from other rules than $RulesPath. What to do: publish it again from the same source: dotnet publish Terminal.ConfigCheck -c Release -o flash/config-check"
        }

        $documentsFile = Join-Path $folder.FullName 'documents.jsonl'
        [System.IO.File]::WriteAllLines($documentsFile, $Documents, $utf8)
        $verdicts = @(& dotnet $Tool check $documentsFile 2>&1 | ForEach-Object { "$_" })
        if ($LASTEXITCODE -notin 0, 1 -or $verdicts.Count -ne $Documents.Count) {
            throw "the firmware's configuration check failed (exit code $LASTEXITCODE): $($verdicts -join ' ')"
        }
        return , @($verdicts | ForEach-Object { if ($_ -eq 'ok') { $null } else { $_ -replace '^error ', '' } })
    }
    finally {
        Remove-Item -LiteralPath $folder.FullName -Recurse -Force -ErrorAction SilentlyContinue -WhatIf:$false
    }
}
