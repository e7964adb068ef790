# The batch result file (CSV, next to the device CSV unless -ResultCsv names another): one row per device with its
# outcome and the step it reached, rewritten after every step, so that a run stopped by a failure, Ctrl+C or a power cut
# leaves an exact record, and the next run with the same CSV skips the devices done and resumes the others from the
# right step. It holds no secrets: the key exists only on the device.
#
#   status       OK, FAILED, INTERRUPTED, or RUNNING while a step is under way (a run that died leaves it so)
#   step         the step the device reached: the one that failed or was under way, or 'done'
#   mac          the board's MAC as nanoff read it (identifies the board on a rerun and in one-cable mode)
#   registered   'yes' when this batch registered the device or rotated its key at the gateway, 'attempted' when the
#                request went out but no answer came back
#   keyOnDevice  'yes' once the configuration with the device's key was written to the board

$ResultColumns = 'line', 'deviceId', 'port', 'status', 'step', 'mac', 'registered', 'keyOnDevice', 'message', 'log', 'updated'

function New-ResultRow([int] $Line, [string] $DeviceId, [string] $Port) {
    return [pscustomobject][ordered]@{
        line = $Line; deviceId = $DeviceId; port = $Port; status = ''; step = ''; mac = ''; registered = ''; keyOnDevice = ''
        message = ''; log = ''; updated = ''
    }
}

# The rows of an earlier run by device id (a missing file: none).
function Read-BatchResults([string] $Path) {
    $rows = @{}
    if ($Path -and (Test-Path -LiteralPath $Path -PathType Leaf)) {
        foreach ($row in (Import-Csv -LiteralPath $Path)) {
            $copy = New-ResultRow 0 $row.deviceId $row.port
            foreach ($column in $ResultColumns) {
                if ($row.PSObject.Properties[$column]) { $copy.$column = [string] $row.$column }
            }
            $rows[$copy.deviceId] = $copy
        }
    }
    return $rows
}

# Writes every row (this batch's, then any others the file held), replacing the file in one move.
function Save-BatchResults([string] $Path, [object[]] $Rows, [hashtable] $Earlier) {
    if (-not $Path) { return }
    $all = [System.Collections.Generic.List[object]]::new()
    $ids = [System.Collections.Generic.HashSet[string]]::new()
    foreach ($row in $Rows) { $all.Add($row); $null = $ids.Add($row.deviceId) }
    foreach ($id in ($Earlier.Keys | Sort-Object)) { if (-not $ids.Contains($id)) { $all.Add($Earlier[$id]) } }

    $lines = $all | Select-Object $ResultColumns | ForEach-Object {
        $_.message = Protect-Text $_.message
        $_
    } | ConvertTo-Csv -NoTypeInformation -UseQuotes AsNeeded
    $temporary = "$Path.tmp"
    [System.IO.File]::WriteAllLines($temporary, [string[]] $lines, [System.Text.UTF8Encoding]::new($false))
    [System.IO.File]::Move($temporary, $Path, $true)
}
