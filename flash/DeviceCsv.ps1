# The batch CSV: one device per row. Read line by line so that every message names the file's own line number; the
# separator is the one named (-CsvDelimiter) or the one the header uses (spreadsheet programs write ';' in many
# locales); UTF-8 (Excel: "CSV UTF-8").

$CsvSeparatorNames = [ordered]@{ comma = ','; semicolon = ';'; tab = "`t"; pipe = '|' }

function Resolve-CsvSeparator([string] $Given) {
    if ($CsvSeparatorNames.Contains($Given.ToLowerInvariant())) { return $CsvSeparatorNames[$Given.ToLowerInvariant()] }
    if ($Given -eq '\t') { return "`t" }
    if ($Given.Length -eq 1 -and $Given -notmatch '[A-Za-z0-9"]') { return $Given }
    throw "-CsvDelimiter '$Given' is not a separator: give comma, semicolon, tab, pipe or the character itself"
}

# Splits one CSV line (RFC 4180 quoting: "a ""b""" is a "b"); $null when a quote is not closed on the line.
function Split-CsvLine([string] $Line, [string] $Separator) {
    $fields = [System.Collections.Generic.List[string]]::new()
    $field = [System.Text.StringBuilder]::new()
    $quoted = $false
    for ($i = 0; $i -lt $Line.Length; $i++) {
        $c = $Line[$i]
        if ($quoted) {
            if ($c -eq '"') {
                if ($i + 1 -lt $Line.Length -and $Line[$i + 1] -eq '"') { $null = $field.Append('"'); $i++ }
                else { $quoted = $false }
            }
            else { $null = $field.Append($c) }
        }
        elseif ($c -eq '"') { $quoted = $true }
        elseif ([string] $c -eq $Separator) { $fields.Add($field.ToString().Trim()); $null = $field.Clear() }
        else { $null = $field.Append($c) }
    }
    if ($quoted) { return $null }
    $fields.Add($field.ToString().Trim())
    return , $fields.ToArray()
}

# The separator the header line uses, of , ; tab |: the one that splits it into the most fields.
function Find-CsvSeparator([string] $Header) {
    $counts = foreach ($candidate in $CsvSeparatorNames.Values) {
        $fields = Split-CsvLine $Header $candidate
        [pscustomobject]@{ Separator = $candidate; Fields = if ($fields) { $fields.Count } else { 0 } }
    }
    $best = @($counts | Sort-Object Fields -Descending)
    if ($best[0].Fields -le 1) { return ',' }
    if ($best[1].Fields -eq $best[0].Fields) {
        $names = @($best | Where-Object Fields -eq $best[0].Fields | ForEach-Object { "'$($_.Separator)'" }) -join ' or '
        throw "the header splits as well on ${names}: give -CsvDelimiter"
    }
    return $best[0].Separator
}

# Reads the CSV: @{ Separator; Detected; Rows = @(@{ Line; Values = ordered column -> text }); Problems (lines that
# could not be read, each naming its line) }. $Columns maps the accepted column names (any case) to their canonical
# names; $Refused maps names that must not be columns to why. Throws when the header cannot be used.
function Read-DeviceCsv([string] $Path, [string] $Separator, [hashtable] $Columns, [hashtable] $Refused, [string[]] $RequiredColumns) {
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { throw "device CSV '$Path' not found" }
    $name = Split-Path -Leaf $Path
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    try { $text = [System.Text.UTF8Encoding]::new($false, $true).GetString($bytes) }
    catch { throw "$name is not UTF-8 text. What to do: save it as 'CSV UTF-8' (Excel) or UTF-8 (other programs)." }
    $text = $text.TrimStart([char] 0xFEFF)
    $lines = $text -split "\r?\n"

    $headerIndex = 0
    while ($headerIndex -lt $lines.Count -and $lines[$headerIndex].Trim() -eq '') { $headerIndex++ }
    if ($headerIndex -ge $lines.Count) { throw "$name is empty: it needs a header line (e.g. port,deviceId) and one line per device" }

    $detected = -not $Separator
    if ($detected) {
        try { $Separator = Find-CsvSeparator $lines[$headerIndex] }
        catch { throw "$name line $($headerIndex + 1): $($_.Exception.Message)" }
    }

    $problems = [System.Collections.Generic.List[string]]::new()
    $header = Split-CsvLine $lines[$headerIndex] $Separator
    if ($null -eq $header) { throw "$name line $($headerIndex + 1): a quote is not closed" }
    $canonical = [string[]]::new($header.Count)
    $known = @($Columns.Values | Sort-Object -Unique)
    for ($i = 0; $i -lt $header.Count; $i++) {
        $column = $header[$i]
        if ($column -eq '') { continue }
        $match = $Columns.Keys | Where-Object { [string]::Equals($_, $column, [StringComparison]::OrdinalIgnoreCase) } | Select-Object -First 1
        $refusal = $Refused.Keys | Where-Object { [string]::Equals($_, $column, [StringComparison]::OrdinalIgnoreCase) } | Select-Object -First 1
        if ($refusal) { $problems.Add("$name line $($headerIndex + 1): column '$column' $($Refused[$refusal])") }
        elseif (-not $match) { $problems.Add("$name line $($headerIndex + 1): unknown column '$column': $(Get-NameHint $column $known)") }
        elseif ($canonical -contains $Columns[$match]) { $problems.Add("$name line $($headerIndex + 1): column '$column' appears twice") }
        else { $canonical[$i] = $Columns[$match] }
    }
    foreach ($required in $RequiredColumns) {
        if ($canonical -notcontains $required) {
            $hint = if ($header.Count -eq 1 -and $lines[$headerIndex] -match '[;,\t|]') { " (the header is one field with separator '$Separator': give -CsvDelimiter)" } else { '' }
            $problems.Add("$name line $($headerIndex + 1): the header has no column '$required'$hint")
        }
    }

    if ($problems.Count -gt 0) { throw ($problems -join [Environment]::NewLine) }

    # Row problems are returned with the rows, so that the caller reports them together with the values it checks.
    $rows = [System.Collections.Generic.List[object]]::new()
    for ($index = $headerIndex + 1; $index -lt $lines.Count; $index++) {
        $lineNumber = $index + 1
        if ($lines[$index].Trim() -eq '') { continue }
        $fields = Split-CsvLine $lines[$index] $Separator
        if ($null -eq $fields) { $problems.Add("$name line ${lineNumber}: a quote is not closed (a value may not span lines)"); continue }
        if (-not ($fields | Where-Object { $_ -ne '' })) { continue }
        if ($fields.Count -gt $header.Count -and -not ($fields[$header.Count..($fields.Count - 1)] | Where-Object { $_ -ne '' })) {
            $fields = $fields[0..($header.Count - 1)]
        }
        if ($fields.Count -ne $header.Count) {
            $problems.Add("$name line ${lineNumber}: $($fields.Count) values for $($header.Count) columns (separator '$Separator')")
            continue
        }
        $values = [ordered]@{}
        for ($i = 0; $i -lt $fields.Count; $i++) {
            if ($canonical[$i]) { $values[$canonical[$i]] = $fields[$i] }
            elseif ($fields[$i] -ne '' -and $header[$i] -eq '') { $problems.Add("$name line ${lineNumber}: value '$($fields[$i])' in column $($i + 1), which has no name in the header") }
        }
        $rows.Add([pscustomobject]@{ Line = $lineNumber; Values = $values })
    }
    if ($rows.Count -eq 0 -and $problems.Count -eq 0) { throw "$name has no device lines below its header" }

    return [pscustomobject]@{ Separator = $Separator; Detected = $detected; Rows = $rows.ToArray(); Problems = $problems.ToArray() }
}
