#!/usr/bin/env bash
# Runs the Pester tests of flash.ps1 (tests/flash). Needs only the .NET SDK: installs PowerShell 7.6.9 as a
# .NET tool and Pester 5.7.1 from NuGet (a throwaway project's `dotnet restore` downloads the package)
# into a cache folder outside the repository, publishes the firmware's configuration check where flash.ps1
# looks for it (flash/config-check, as a technician's copy has it), builds the gateway the private-CA tests
# start, then runs Invoke-Pester and fails on any failed test.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

pwsh_version=7.6.9
pester_version=5.7.1
tools="${TERMINAL_CI_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/terminal-ci}"
pwsh="$tools/pwsh-$pwsh_version/pwsh"
pester="$tools/packages/pester/$pester_version/tools/Pester.psd1"

if [[ ! -x "$pwsh" ]]; then
    dotnet tool install PowerShell --version "$pwsh_version" --tool-path "$tools/pwsh-$pwsh_version" >/dev/null
fi

if [[ ! -f "$pester" ]]; then
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    cat > "$scratch/pester.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pester_version]" /></ItemGroup>
</Project>
PROJECT
    dotnet restore "$scratch/pester.csproj" --packages "$tools/packages" >/dev/null
fi

dotnet publish Terminal.ConfigCheck/Terminal.ConfigCheck.csproj -c Debug -o flash/config-check -v q -nologo >/dev/null
dotnet build Terminal.Gateway/Terminal.Gateway.csproj -c Debug -v q -nologo >/dev/null

"$pwsh" -NoProfile -NonInteractive -Command "
    \$ErrorActionPreference = 'Stop'
    Import-Module '$pester' -RequiredVersion $pester_version
    \$config = New-PesterConfiguration
    \$config.Run.Path = 'tests/flash'
    \$config.Run.PassThru = \$true
    \$config.Output.Verbosity = 'Normal'
    \$result = Invoke-Pester -Configuration \$config
    Write-Host ('Pester (flash.ps1): {0}, {1} passed, {2} failed, {3} skipped' -f \$result.Result, \$result.PassedCount, \$result.FailedCount, \$result.SkippedCount)
    if (\$result.Result -ne 'Passed') { exit 1 }
"
