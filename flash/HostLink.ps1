# The self-test over the terminal's host link (docs/host-link.md), from the PC's serial port wired to it.

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

# Asks DIAG once and returns its INFO lines (none when the terminal does not answer within $Seconds).
function Get-HostLinkDiagnostics($Serial, [int] $Id, [int] $Seconds) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $Serial.Write((Format-HostLinkRequest $Id 'DIAG'))
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        try { $line = $Serial.ReadLine() }
        catch [System.TimeoutException] { continue }
        $reply = ConvertFrom-HostLinkReply $line
        if (-not $reply -or $reply.Id -ne $Id) { continue }
        if ($reply.Kind -eq 'INFO') { $lines.Add($reply.Text); continue }
        break
    }
    return , $lines.ToArray()
}

# Sends SELFTEST until the terminal answers it: after a deploy it boots, joins Wi-Fi and waits for network time
# before its host link answers, and it answers ERR BUSY while it recovers an interrupted payment. Each attempt
# uses a new request id; an answer to any of them counts. FAIL lines are printed as they come, progress every 15 s
# (more often with a short timeout).
# Then asks DIAG for the line that says which OLED address answered. Returns the notes for the summary.
function Invoke-SelfTest([string] $PortName, [int] $Baud, [int] $TimeoutSeconds) {
    $serial = [System.IO.Ports.SerialPort]::new($PortName, $Baud)
    $serial.NewLine = "`n"
    $serial.ReadTimeout = 500
    try {
        try { $serial.Open() }
        catch { Stop-Step 'selftest' "the host link port $PortName could not be opened ($(Get-ExceptionChain $_.Exception)). What to do: check -HostLinkPort and that nothing else uses it." }

        # A lone CR LF ends whatever half line the terminal may hold (docs/host-link.md section 6).
        $serial.Write("`r`n")
        $started = [DateTime]::UtcNow
        $deadline = $started.AddSeconds($TimeoutSeconds)
        $progressEvery = [Math]::Min(15, [Math]::Max(1, [int] ($TimeoutSeconds / 5)))
        $nextProgress = $started.AddSeconds($progressEvery)
        $sent = [System.Collections.Generic.HashSet[int]]::new()
        $nextSend = $started
        $summary = $null
        $failures = [System.Collections.Generic.List[string]]::new()
        while (-not $summary -and [DateTime]::UtcNow -lt $deadline) {
            $now = [DateTime]::UtcNow
            if ($now -ge $nextProgress) {
                Write-Step ("  waiting for the terminal: {0:0} s of {1} s (after a deploy it boots, joins Wi-Fi and waits for network time)" -f ($now - $started).TotalSeconds, $TimeoutSeconds) 'DarkGray'
                $nextProgress = $now.AddSeconds($progressEvery)
            }
            if ($now -ge $nextSend) {
                $id = $sent.Count + 1
                $null = $sent.Add($id)
                $serial.Write((Format-HostLinkRequest $id 'SELFTEST'))
                $nextSend = $now.AddSeconds(10)
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
                    if ($reply.Text -like 'FAIL*') { $failures.Add($reply.Text); Write-Step "  self-test: $($reply.Text)" 'Red' }
                    else { Write-Log "  selftest: $($reply.Text)" }
                    $nextSend = [DateTime]::UtcNow.AddSeconds(10)
                }
                'ERR' {
                    if ($reply.Text -notlike 'BUSY*') {
                        Stop-Step 'selftest' "the terminal refused the self-test: $($reply.Text). What to do: read the terminal's screen and DIAG (docs/host-link.md)."
                    }
                    Write-Step "  the terminal is busy ($($reply.Text)); asking again" 'DarkGray'
                    $nextSend = [DateTime]::UtcNow.AddSeconds(3)
                }
                'OK' { $summary = ConvertFrom-SelfTestResult $reply.Text }
            }
        }

        if (-not $summary) {
            Stop-Step 'selftest' "no self-test result within $TimeoutSeconds s on $PortName. What to do: check that $PortName is wired to the terminal's host link (GPIO4/GPIO5, hardware/README.md) and the baud rate (-HostLinkBaud)."
        }

        $notes = [System.Collections.Generic.List[string]]::new()
        foreach ($line in (Get-HostLinkDiagnostics $serial ($sent.Count + 1) 10)) {
            Write-Log "  diag: $line"
            if ($line -like 'display i2c*') {
                $notes.Add($line)
                Write-Step "  $line" $(if ($line -like '*answered') { 'Cyan' } else { 'Yellow' })
            }
        }
        if ($summary.Failed -gt 0) {
            $display = if ($notes.Count -gt 0) { " DIAG: $($notes -join '; ')." } else { '' }
            Stop-Step 'selftest' "the self-test reported $($summary.Passed) passed, $($summary.Failed) failed ($($failures -join '; ')).$display What to do: check the wiring (hardware/README.md); the log has every line."
        }
        return , (@("self-test $($summary.Passed) passed, 0 failed") + $notes)
    }
    finally {
        $serial.Dispose()
    }
}
