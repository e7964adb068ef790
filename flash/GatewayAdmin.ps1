# The gateway as flash.ps1 talks to it: the admin API (docs/gateway-admin-api.md) for device registration, and the
# device-facing URL, checked the way the terminal will reach it. A gateway with a private CA is trusted through
# -CaCertificate for both, with that CA as the only root (as on the device); every TLS or network failure is reported
# with its inner cause.

# One HttpClient for the run. With $CaFile, certificates must chain to a CA of that PEM file (custom root trust, no
# revocation check: a private CA publishes no CRL, and the device checks none either); host names are still checked.
function New-GatewayClient([string] $CaFile) {
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.ConnectTimeout = [TimeSpan]::FromSeconds(10)
    if ($CaFile) {
        $roots = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
        $roots.ImportFromPemFile($CaFile)
        $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
        $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
        $policy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
        $policy.CustomTrustStore.AddRange($roots)
        $ssl = [System.Net.Security.SslClientAuthenticationOptions]::new()
        $ssl.CertificateChainPolicy = $policy
        $handler.SslOptions = $ssl
    }
    $client = [System.Net.Http.HttpClient]::new($handler)
    $client.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan
    return $client
}

# Sends a request and waits for the answer in short slices, so that Ctrl+C stops the script at once; returns
# @{ Status; Body (text); RetryAfter } or throws the .NET exception (connection, TLS, timeout).
function Send-GatewayRequest($Client, [string] $Method, [string] $Uri, [string] $Token, [string] $Json, [int] $TimeoutSeconds) {
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $Uri)
    if ($Token) { $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Token) }
    if ($null -ne $Json) { $request.Content = [System.Net.Http.StringContent]::new($Json, [System.Text.Encoding]::UTF8, 'application/json') }
    $cancel = [System.Threading.CancellationTokenSource]::new([TimeSpan]::FromSeconds($TimeoutSeconds))
    try {
        $task = $Client.SendAsync($request, $cancel.Token)
        while (-not $task.AsyncWaitHandle.WaitOne(200)) { }
        if ($task.IsCanceled) { throw [System.TimeoutException]::new("no answer within $TimeoutSeconds s") }
        if ($task.IsFaulted) { throw $task.Exception.GetBaseException() }
        $response = $task.Result
        $read = $response.Content.ReadAsStringAsync($cancel.Token)
        while (-not $read.AsyncWaitHandle.WaitOne(200)) { }
        $body = if ($read.IsCompletedSuccessfully) { $read.Result } else { '' }
        $retryAfter = if ($response.Headers.RetryAfter -and $response.Headers.RetryAfter.Delta) { [int] $response.Headers.RetryAfter.Delta.Value.TotalSeconds } else { $null }
        return [pscustomobject]@{ Status = [int] $response.StatusCode; Body = $body; RetryAfter = $retryAfter }
    }
    finally {
        $cancel.Cancel()
        $cancel.Dispose()
        $request.Dispose()
    }
}

# What to do about a failed connection, from its inner cause.
function Get-ConnectionAdvice([string] $Cause, [string] $Parameter) {
    if ($Cause -match 'certificate chain|UntrustedRoot|PartialChain|certificate is invalid|NotTimeValid') {
        return "give -CaCertificate with the PEM file of the CA that signed the gateway's certificate (a gateway started with Gateway:Https:SelfSigned writes it to Gateway:Https:SelfSignedCaPath), and check that it is that CA"
    }
    if ($Cause -match 'RemoteCertificateNameMismatch|name mismatch') {
        return "use in $Parameter the host name the gateway's certificate was made for"
    }
    return "check $Parameter, the network of this PC and that the gateway runs"
}

function Invoke-Admin([string] $Step, [string] $Method, [string] $Path, $Body) {
    $uri = $script:AdminBase + $Path
    $json = if ($null -ne $Body) { $Body | ConvertTo-Json -Compress -Depth 5 } else { $null }
    Write-Log "> $Method $uri"
    try {
        $response = Send-GatewayRequest $script:Http $Method $uri $script:AdminTokenPlain $json 30
    }
    catch {
        $cause = Get-ExceptionChain $_.Exception
        Stop-Step $Step "the gateway admin API at $($script:AdminBase) could not be reached: $cause. What to do: $(Get-ConnectionAdvice $cause '-AdminUrl')."
    }
    Write-Log "  HTTP $($response.Status)"
    $parsed = $null
    if ($response.Body) { try { $parsed = $response.Body | ConvertFrom-Json } catch { $parsed = $null } }
    if ($response.Status -eq 401) {
        Stop-Step $Step 'the gateway rejected the admin token (HTTP 401). What to do: use the admin token from the gateway configuration (Gateway:AdminTokenPath); after 5 wrong tokens the gateway refuses this PC for 15 minutes.'
    }
    if ($response.Status -eq 429) {
        $wait = if ($response.RetryAfter) { "$($response.RetryAfter) s" } else { 'up to 15 minutes' }
        Stop-Step $Step "the gateway refuses admin calls from this PC after repeated wrong tokens (HTTP 429). What to do: wait $wait, then run again with the right admin token."
    }
    return [pscustomobject]@{ Status = $response.Status; Body = $parsed }
}

function Get-ErrorField($Body) {
    if ($Body -and $Body.PSObject.Properties['error']) { return [string] $Body.error }
    return 'no detail'
}

# The devices the gateway knows (id -> status), through a read-only call that also proves the token.
function Get-GatewayDevices {
    $result = Invoke-Admin 'check' 'GET' '/admin/devices' $null
    if ($result.Status -eq 404) {
        Stop-Step 'check' "there is no admin API at $($script:AdminBase) (HTTP 404). What to do: give -AdminUrl: the gateway serves its admin API on its own listener (Gateway:AdminUrls, loopback by default), e.g. through an SSH tunnel (ssh -L 8081:127.0.0.1:8081 <gateway host>, then -AdminUrl http://127.0.0.1:8081)."
    }
    if ($result.Status -ne 200) {
        Stop-Step 'check' "the gateway admin API answered HTTP $($result.Status) to GET /admin/devices. What to do: check -AdminUrl points at the gateway's admin listener."
    }
    $devices = @{}
    foreach ($device in @($result.Body)) { if ($device) { $devices[[string] $device.deviceId] = [string] $device.status } }
    return $devices
}

# Checks the device-facing URL as the terminal will use it: TLS with the same trust (-CaCertificate). An untrusted
# certificate stops the run (the terminal would refuse it too); a gateway this PC cannot reach is only reported,
# since the shop network may reach what the technician's PC does not.
function Test-DeviceGateway {
    $uri = $script:GatewayBase + '/healthz'
    Write-Log "> GET $uri"
    try {
        $response = Send-GatewayRequest $script:Http 'GET' $uri $null $null 10
        Write-Log "  HTTP $($response.Status)"
        return "the gateway at $($script:GatewayBase) answers (HTTP $($response.Status)) with a certificate the terminal will trust"
    }
    catch {
        $cause = Get-ExceptionChain $_.Exception
        if ($cause -match 'certificate|SSL|TLS|authentication') {
            Stop-Step 'check' "the terminal would not get a trusted TLS connection to the gateway at $($script:GatewayBase): $cause. What to do: $(Get-ConnectionAdvice $cause '-GatewayUrl')."
        }
        Write-Log "  not reachable: $cause"
        return "note: this PC cannot reach $($script:GatewayBase) ($cause); the terminal must reach it from its own network"
    }
}

# Registers the device (or rotates its key) and returns @{ Key; KeyVersion }; the key is added to the secrets.
function Register-Device([hashtable] $Device, [bool] $Rotate) {
    $id = $Device.DeviceId
    if ($Rotate) { $result = Invoke-Admin 'register' 'POST' "/admin/devices/$id/rotate-key" $null }
    else { $result = Invoke-Admin 'register' 'POST' '/admin/devices' ([ordered]@{ deviceId = $id; currencies = @($Device.Currency) }) }

    switch ($result.Status) {
        { $_ -in 200, 201 } { break }
        404 { Stop-Step 'register' "device $id is not registered, so its key cannot be rotated (HTTP 404). What to do: run without -RotateKey." }
        409 {
            if ($Rotate) { Stop-Step 'register' "device $id is revoked at the gateway (HTTP 409: $(Get-ErrorField $result.Body)). What to do: use a new device id, or ask the gateway operator." }
            Stop-Step 'register' "device $id is already registered (HTTP 409). What to do: to re-provision it, run again with -RotateKey (its old key stops working after its first request with the new one)."
        }
        400 { Stop-Step 'register' "the gateway rejected the registration of $id (HTTP 400: $(Get-ErrorField $result.Body)). What to do: fix that field." }
        default { Stop-Step 'register' "the gateway answered HTTP $($result.Status) to the registration of $id. What to do: check the gateway log and retry." }
    }

    $body = $result.Body
    $key = if ($body -and $body.PSObject.Properties['key']) { [string] $body.key } else { '' }
    Add-Secret $key
    $keyBytes = $null
    try { $keyBytes = [Convert]::FromBase64String($key) } catch { $keyBytes = $null }
    $keyVersion = if ($body -and $body.PSObject.Properties['keyVersion']) { $body.keyVersion } else { $null }
    if ($null -eq $keyBytes -or $keyBytes.Length -ne 32 -or -not ($keyVersion -is [long] -or $keyVersion -is [int]) -or $keyVersion -lt 1) {
        Stop-Step 'register' "the gateway's answer for $id has no valid key (base64 of 32 bytes) and key version. What to do: check the gateway version against docs/gateway-admin-api.md."
    }
    return @{ Key = $key; KeyVersion = [int] $keyVersion }
}
