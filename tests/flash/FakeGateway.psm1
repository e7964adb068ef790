# A fake gateway admin API (docs/gateway-admin-api.md) on loopback for tests/flash/flash.Tests.ps1.
# It records every request as one JSON line (method, path, whether the token matched, body) and answers:
#   GET  /admin/devices                 200 with the registered devices (never keys)
#   POST /admin/devices                 201 {deviceId, keyVersion 1, key}; 409 if the id is taken; for an id in
#                                       AnswerLost: registers it, then answers 500 (the answer was lost on the way)
#   POST /admin/devices/{id}/rotate-key 200 {deviceId, keyVersion 2, key}; 404 if unknown
#   anything without "Bearer <token>"   401
# Keys are base64 of 32 bytes that start with "KEY-SECRET-<id>", so tests can search for them.

function Get-FakeDeviceKey([string] $DeviceId) {
    $bytes = [byte[]]::new(32)
    $text = [System.Text.Encoding]::ASCII.GetBytes("KEY-SECRET-$DeviceId")
    [Array]::Copy($text, $bytes, [Math]::Min($text.Length, 32))
    return [Convert]::ToBase64String($bytes)
}

function Start-FakeGateway([string] $Token) {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()

    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()

    # Shared with the listener thread; Reset-FakeGateway sets it before each test.
    $state = [hashtable]::Synchronized(@{ RecordFile = $null; Devices = [System.Collections.Generic.List[string]]::new(); AnswerLost = @() })
    $keyFunction = ${function:Get-FakeDeviceKey}.ToString()
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
        param($listener, $token, $state, $keyFunction)
        ${function:Get-FakeDeviceKey} = [scriptblock]::Create($keyFunction)
        while ($listener.IsListening) {
            try { $context = $listener.GetContext() } catch { break }
            $request = $context.Request
            $body = [System.IO.StreamReader]::new($request.InputStream).ReadToEnd()
            $authorized = $request.Headers['Authorization'] -ceq "Bearer $token"
            $path = $request.Url.AbsolutePath
            $record = [ordered]@{ method = $request.HttpMethod; path = $path; authorized = $authorized; body = $body }
            Add-Content -LiteralPath $state.RecordFile -Value ($record | ConvertTo-Json -Compress)
            $devices = $state.Devices

            $status = 404; $answer = @{ error = 'not found' }
            if (-not $authorized) {
                $status = 401; $answer = $null
            }
            elseif ($request.HttpMethod -eq 'GET' -and $path -eq '/admin/devices') {
                $status = 200; $answer = @($devices | ForEach-Object { @{ deviceId = $_; status = 'active'; keyVersions = @(1) } })
            }
            elseif ($request.HttpMethod -eq 'POST' -and $path -eq '/admin/devices') {
                $id = ($body | ConvertFrom-Json).deviceId
                if ($devices.Contains($id)) { $status = 409; $answer = @{ error = 'device exists' } }
                elseif ($state.AnswerLost -contains $id) { $devices.Add($id); $status = 500; $answer = @{ error = 'lost' } }
                else { $devices.Add($id); $status = 201; $answer = @{ deviceId = $id; keyVersion = 1; key = (Get-FakeDeviceKey $id) } }
            }
            elseif ($request.HttpMethod -eq 'POST' -and $path -match '^/admin/devices/([^/]+)/rotate-key$') {
                $id = $Matches[1]
                if ($devices.Contains($id)) { $status = 200; $answer = @{ deviceId = $id; keyVersion = 2; key = (Get-FakeDeviceKey $id) } }
            }

            $response = $context.Response
            $response.StatusCode = $status
            if ($null -ne $answer) {
                $bytes = [System.Text.Encoding]::UTF8.GetBytes((ConvertTo-Json -InputObject $answer -Compress -Depth 4))
                $response.ContentType = 'application/json'
                $response.OutputStream.Write($bytes, 0, $bytes.Length)
            }
            $response.Close()
        }
    }).AddArgument($listener).AddArgument($Token).AddArgument($state).AddArgument($keyFunction)
    $handle = $shell.BeginInvoke()

    return [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Shell = $shell; Handle = $handle; State = $state }
}

# Starts a test afresh: a new request record and these registered devices.
function Reset-FakeGateway($Gateway, [string] $RecordFile, [string[]] $ExistingDevices = @()) {
    $devices = [System.Collections.Generic.List[string]]::new()
    foreach ($id in $ExistingDevices) { $devices.Add($id) }
    $Gateway.State.Devices = $devices
    $Gateway.State.RecordFile = $RecordFile
    $Gateway.State.AnswerLost = @()
}

# Registrations of these ids reach the gateway, but their answer is lost (500 instead of the key).
function Set-FakeGatewayAnswerLost($Gateway, [string[]] $DeviceIds) {
    $Gateway.State.AnswerLost = $DeviceIds
}

function Stop-FakeGateway($Gateway) {
    $Gateway.Listener.Stop()
    $Gateway.Listener.Close()
    $null = $Gateway.Handle.AsyncWaitHandle.WaitOne(5000)
    $Gateway.Shell.Dispose()
}

function Get-FakeGatewayRequests($Gateway) {
    $file = $Gateway.State.RecordFile
    if (-not (Test-Path -LiteralPath $file)) { return @() }
    return @(Get-Content -LiteralPath $file | ForEach-Object { $_ | ConvertFrom-Json })
}

Export-ModuleMember -Function Start-FakeGateway, Reset-FakeGateway, Set-FakeGatewayAnswerLost, Stop-FakeGateway, Get-FakeGatewayRequests, Get-FakeDeviceKey
