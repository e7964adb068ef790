#Requires -Version 7.4
# Pester 5 tests of flash.ps1 against the real Terminal.Gateway (built by .ci/pester.sh) with a private CA: the gateway
# generates its CA (Gateway:Https:SelfSigned) and serves the device API and the admin API over https with a
# certificate from it, as docs/gateway.md runs it. flash.ps1 must trust that CA through -CaCertificate for its own
# calls, print the inner cause of a TLS failure, and find it in a -WhatIf run. nanoff is the fake of Support.ps1.

BeforeDiscovery {
    $script:NoPosixShell = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support.ps1')

    $script:GatewayDll = Join-Path $script:Repo 'Terminal.Gateway/bin/Debug/net10.0/Terminal.Gateway.dll'
    if (-not (Test-Path -LiteralPath $script:GatewayDll)) {
        throw "$script:GatewayDll is missing: build it first (dotnet build Terminal.Gateway), as .ci/pester.sh does"
    }

    # A gateway of its own in a folder of its own: device API and admin API on https, private CA written to ca.pem.
    $folder = Join-Path $TestDrive 'real-gateway'
    $null = New-Item -ItemType Directory -Path $folder
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    [System.IO.File]::WriteAllText((Join-Path $folder 'admin-token'), $script:Token, $utf8)
    [System.IO.File]::WriteAllText((Join-Path $folder 'kek'), [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)), $utf8)
    $merchant = [System.Security.Cryptography.RSA]::Create(2048)
    $antom = [System.Security.Cryptography.RSA]::Create(2048)
    [System.IO.File]::WriteAllText((Join-Path $folder 'merchant.pem'), $merchant.ExportPkcs8PrivateKeyPem(), $utf8)
    [System.IO.File]::WriteAllText((Join-Path $folder 'antom.pub'), $antom.ExportSubjectPublicKeyInfoPem(), $utf8)
    $script:RealCa = Join-Path $folder 'ca.pem'
    $devicePort = Get-FreePort
    $adminPort = Get-FreePort
    $script:RealDeviceUrl = "https://127.0.0.1:$devicePort"
    $script:RealAdminUrl = "https://127.0.0.1:$adminPort"
    $arguments = @(
        $script:GatewayDll
        "--Gateway:Urls:0=$script:RealDeviceUrl", "--Gateway:AdminUrls:0=$script:RealAdminUrl", "--Gateway:PublicBaseUrl=$script:RealDeviceUrl"
        '--Gateway:Https:SelfSigned=true', "--Gateway:Https:SelfSignedCaPath=$script:RealCa"
        "--Gateway:AdminTokenPath=$(Join-Path $folder 'admin-token')", "--Gateway:KeyEncryptionKeyPath=$(Join-Path $folder 'kek')"
        # Start-Process joins the arguments with spaces: the one with a space is quoted.
        "`"--Gateway:Database:ConnectionString=Data Source=$(Join-Path $folder 'gateway.db')`""
        '--Gateway:Antom:BaseUrl=https://127.0.0.1:9', '--Gateway:Antom:ClientId=SANDBOX_FLASHTEST'
        "--Gateway:Antom:MerchantPrivateKeyPath=$(Join-Path $folder 'merchant.pem')", "--Gateway:Antom:AntomPublicKeyPath=$(Join-Path $folder 'antom.pub')"
        '--Gateway:Merchant:ReferenceMerchantId=M001', '--Gateway:Merchant:ReferenceStoreId=S001'
    )
    $script:RealGateway = Start-Process dotnet -ArgumentList $arguments -PassThru -RedirectStandardOutput (Join-Path $folder 'out.txt') -RedirectStandardError (Join-Path $folder 'err.txt')

    # Ready when the CA exists and the admin listener answers /healthz with a certificate from that CA.
    $deadline = [DateTime]::UtcNow.AddSeconds(90)
    $script:Ready = $false
    while (-not $script:Ready -and [DateTime]::UtcNow -lt $deadline -and -not $script:RealGateway.HasExited) {
        Start-Sleep -Milliseconds 300
        if (-not (Test-Path -LiteralPath $script:RealCa)) { continue }
        try { $script:Ready = (Invoke-WebRequest "$script:RealAdminUrl/healthz" -SkipCertificateCheck -TimeoutSec 5).StatusCode -eq 200 } catch { }
    }
    if (-not $script:Ready) {
        throw "the gateway did not start: $(Get-Content -Raw (Join-Path $folder 'err.txt')) $(Get-Content -Raw (Join-Path $folder 'out.txt'))"
    }

    # The devices the real gateway knows (read with the private CA trusted, as flash.ps1 does).
    function script:Get-RealDevices {
        . (Join-Path $script:Repo 'flash/GatewayAdmin.ps1')
        $client = New-GatewayClient $script:RealCa
        try {
            $answer = Send-GatewayRequest $client 'GET' "$script:RealAdminUrl/admin/devices" $script:Token $null 30
            $answer.Status | Should -Be 200
            return @($answer.Body | ConvertFrom-Json | ForEach-Object deviceId)
        }
        finally { $client.Dispose() }
    }
}

AfterAll {
    if ($script:RealGateway -and -not $script:RealGateway.HasExited) { $script:RealGateway.Kill($true); $null = $script:RealGateway.WaitForExit(10000) }
    Remove-FlashTestSupport
}

Describe 'flash.ps1 with a gateway behind a private CA' -Skip:$NoPosixShell {
    BeforeEach {
        Reset-FlashTest
        $script:Common.GatewayUrl = $script:RealDeviceUrl
        $script:Common.AdminUrl = $script:RealAdminUrl
        $script:Common.CaCertificate = $script:RealCa
    }

    It 'registers the device through the https admin API, trusting the CA given by -CaCertificate, and gives the device that CA' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0701'; PassThru = $true })

        $result.Exit | Should -Be 0 -Because $result.Output
        $result.Output | Should -BeLike "*the gateway at $script:RealDeviceUrl answers (HTTP 200) with a certificate the terminal will trust*"
        $result.Output | Should -BeLike "*the admin API at $script:RealAdminUrl accepted the token*"
        Get-RealDevices | Should -Contain 'T0701'
        $config = Get-DeviceConfig
        $config.gatewayUrl | Should -Be $script:RealDeviceUrl
        $config.caCertificate | Should -Be 'I:\gateway-ca.pem'
        [Convert]::FromBase64String($config.key).Length | Should -Be 32
        Get-Content -LiteralPath (Join-Path $script:Capture 'COM7/ca.pem') -Raw | Should -Be (Get-Content -LiteralPath $script:RealCa -Raw)
        foreach ($secret in $script:Token, $script:WifiPass, $config.key) {
            $result.Output | Should -Not -BeLike "*$secret*"
            Get-WrittenText | Should -Not -BeLike "*$secret*"
        }
    }

    It 'without -CaCertificate <Name> stops with exit 3 before anything is done, naming the inner cause and the fix' -ForEach @(
        @{ Name = 'the device URL check'; Changes = @{ CaCertificate = $null }; Message = 'the terminal would not get a trusted TLS connection to the gateway at https://127.0.0.1:*' }
        @{ Name = 'the admin call'; Changes = @{ CaCertificate = $null; GatewayUrl = 'https://gw.invalid' }; Message = 'the gateway admin API at https://127.0.0.1:* could not be reached: *' }
        @{ Name = 'a dry run (-WhatIf)'; Changes = @{ CaCertificate = $null; WhatIf = $true }; Message = 'the terminal would not get a trusted TLS connection*' }
    ) {
        $before = @(Get-RealDevices)

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0702' } $Changes)

        $result.Exit | Should -Be 3 -Because $result.Output
        $result.Output | Should -BeLike "*$Message*"
        $result.Output | Should -Match 'UntrustedRoot|PartialChain' -Because 'the inner cause of the TLS failure is shown, not "see inner exception"'
        $result.Output | Should -BeLike '*What to do: give -CaCertificate with the PEM file of the CA that signed the gateway''s certificate*'
        $result.Output | Should -Not -BeLike '*see inner exception*'
        Get-NanoffCalls | Where-Object { $_ -ne '--listports' } | Should -BeNullOrEmpty -Because 'listing the ports changes nothing'
        Get-RealDevices | Should -Be $before
    }

    It 'refuses a CA that did not sign the gateway''s certificate' {
        $other = New-TestCa (Join-Path $script:Run 'other-ca.pem') 'Another CA'

        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0703'; CaCertificate = $other })

        $result.Exit | Should -Be 3 -Because $result.Output
        $result.Output | Should -Match 'UntrustedRoot|PartialChain'
        Get-NanoffCalls | Should -BeNullOrEmpty
        Get-RealDevices | Should -Not -Contain 'T0703'
    }

    It 'checks in a dry run that the gateway is trusted and accepts the token, changing nothing' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0704'; WhatIf = $true })

        $result.Exit | Should -Be 0 -Because $result.Output
        $result.Output | Should -BeLike '*with a certificate the terminal will trust*'
        $result.Output | Should -BeLike "*the admin API at $script:RealAdminUrl accepted the token*"
        Get-NanoffCalls | Should -Be @('--listports')
        Get-RealDevices | Should -Not -Contain 'T0704'
    }

    It 'names a rejected token in a dry run' {
        $result = Invoke-Flash (With @{ Port = 'COM7'; DeviceId = 'T0705'; WhatIf = $true; AdminToken = 'not-the-admin-token' })

        $result.Exit | Should -Be 3 -Because $result.Output
        $result.Output | Should -BeLike '*the gateway rejected the admin token (HTTP 401)*'
    }
}
