# The merchant menu's PIN (-MenuPin): checked for its form and written into terminal.json as the hash the firmware
# checks (menuPin: PBKDF2-HMAC-SHA256, RFC 8018 section 5.2, of the PIN's ASCII digits with a 16-byte random salt;
# Terminal.Countertop/Pin/PinHash.cs, docs/countertop.md). The PIN itself is never written, logged or passed to a tool.

# As many iterations as a PIN changed from the menu gets (Terminal.Countertop PinVault.NewPinIterations): the
# terminal's PIN check then takes the same time whichever way the PIN was set.
$MenuPinIterations = 2000

# Why a -MenuPin value cannot be a PIN, without quoting it; $null when it can.
function Get-MenuPinProblem([string] $Pin) {
    if ($Pin -cmatch '^[0-9]{4,8}$') { return $null }
    $shape = if ($Pin.Length -lt 4) { "it has $($Pin.Length) character(s)" }
        elseif ($Pin.Length -gt 8) { "it has $($Pin.Length) characters" }
        else { 'it has a character other than 0-9' }
    return "-MenuPin must be 4 to 8 digits (0-9), the keys the terminal's keypad types: $shape"
}

# The menuPin value for one device: a fresh salt per call, so two terminals with the same PIN differ in flash.
function New-MenuPinHash([string] $Pin) {
    $salt = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(16)
    $digits = [System.Text.Encoding]::ASCII.GetBytes($Pin)
    try {
        $hash = [System.Security.Cryptography.Rfc2898DeriveBytes]::Pbkdf2($digits, $salt, $MenuPinIterations,
            [System.Security.Cryptography.HashAlgorithmName]::SHA256, 32)
    }
    finally { [Array]::Clear($digits, 0, $digits.Length) }
    return 'pbkdf2-sha256${0}${1}${2}' -f $MenuPinIterations, [Convert]::ToHexString($salt).ToLowerInvariant(), [Convert]::ToHexString($hash).ToLowerInvariant()
}
