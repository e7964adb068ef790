# Console, log and secrets for flash.ps1: every line the script prints or logs passes through Protect-Text, and a
# step stops with an error that names the step and says what to do.

$script:Secrets = [System.Collections.Generic.List[string]]::new()
$script:LogFile = $null

function Add-Secret([string] $Value) {
    if (-not [string]::IsNullOrEmpty($Value)) { $script:Secrets.Add($Value) }
}

# Defence in depth: nothing printed or logged contains a secret, even if a tool or server echoed one.
function Protect-Text([string] $Text) {
    foreach ($secret in $script:Secrets) { $Text = $Text.Replace($secret, '***') }
    return $Text
}

function Write-Log([string] $Text) {
    if ($script:LogFile) {
        $line = '{0:yyyy-MM-dd HH:mm:ss} {1}' -f (Get-Date), (Protect-Text $Text)
        Add-Content -LiteralPath $script:LogFile -Value $line -Encoding utf8 -WhatIf:$false
    }
}

function Write-Step([string] $Text, [string] $Color = 'Cyan') {
    Write-Host (Protect-Text $Text) -ForegroundColor $Color
    Write-Log $Text
}

# Stops the current step: the message says what happened and what to do; the step lands in the batch result.
function Stop-Step([string] $Step, [string] $Message) {
    $exception = [System.InvalidOperationException]::new($Message)
    $exception.Data['FlashStep'] = $Step
    throw $exception
}

# Stops the run because the technician interrupted it (Ctrl+C reached nanoff before PowerShell).
function Stop-Interrupted([string] $Step) {
    $exception = [System.OperationCanceledException]::new("interrupted (Ctrl+C) during step '$Step'")
    $exception.Data['FlashStep'] = $Step
    $exception.Data['FlashInterrupted'] = $true
    throw $exception
}

# "outer message: inner message: ..." without repeats: .NET's "see inner exception" hides the real cause.
function Get-ExceptionChain([System.Exception] $Exception) {
    $messages = [System.Collections.Generic.List[string]]::new()
    for ($e = $Exception; $e; $e = $e.InnerException) {
        if ($e -is [System.Management.Automation.MethodInvocationException]) { continue }
        $text = ($e.Message -replace '\s*,?\s*see inner exception\.?', '').Trim().TrimEnd('.')
        if ($text -and -not ($messages | Where-Object { $_.Contains($text) })) { $messages.Add($text) }
    }
    return ($messages -join ': ')
}

function Get-ConsoleWidth {
    try {
        $width = $Host.UI.RawUI.WindowSize.Width
        if ($width -ge 40) { return $width }
    }
    catch { }
    return 100
}

# Splits text into lines of at most $Width characters at spaces (a word longer than the line stays whole).
function Split-Words([string] $Text, [int] $Width) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = ''
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if ($current.Length -gt 0 -and $current.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($current)
            $current = $word
        }
        else {
            $current = if ($current) { "$current $word" } else { $word }
        }
    }
    if ($current) { $lines.Add($current) }
    return $lines
}

# The summary: one line per device (CSV line, id, port, status, step), then its message indented and wrapped at
# word boundaries so that nothing is split in a console of $Width columns.
function Format-Summary([object[]] $Results, [int] $Width) {
    $idWidth = [Math]::Max(6, ($Results | ForEach-Object { $_.DeviceId.Length } | Measure-Object -Maximum).Maximum)
    $portWidth = [Math]::Max(4, ($Results | ForEach-Object { $_.Port.Length } | Measure-Object -Maximum).Maximum)
    $format = "{0,-5} {1,-$idWidth} {2,-$portWidth} {3,-11} {4}"
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add(($format -f 'line', 'device', 'port', 'status', 'step').TrimEnd())
    foreach ($result in $Results) {
        $line = if ($result.Line) { $result.Line } else { '-' }
        $lines.Add(($format -f $line, $result.DeviceId, $result.Port, $result.Status, $result.Step).TrimEnd())
        if ($result.Message) {
            foreach ($line in (Split-Words $result.Message ($Width - 7))) { $lines.Add("      $line") }
        }
    }
    return $lines
}
