# The first application version of a terminal that takes updates (docs/ota.md, "On the ESP32"): the bundle folder the
# device build writes (Terminal.Esp32/bin/Release/bundle, made by Terminal.Bundler) is checked here and installed on
# the device's I: volume in the layout the flashed boot program (Terminal.Esp32.Boot) reads:
#   I:\ota\installed\<file>.0   each .pe of the bundle, as the one piece of that file (Terminal.Loader ChunkedAppFiles)
#   I:\ota\installed\load.lst.0 the entry point, then the files in load order, one per line (Terminal.Loader LoadList)
#   I:\ota\boot\boot.0, boot.1  deleted: the boot record starts afresh, so the version just installed is the one booted

$OtaDeviceRoot = 'I:\ota'
$InstalledDeviceFolder = 'I:\ota\installed'
# A board takes updates with PSRAM firmware (a loaded assembly stays in RAM: ~320 KB) and at least 8 MB of flash
# (nanoFramework's 8 MB partition table gives I: 2 MB; the 4 MB one only 256 KB, less than one bundle).
$UpdatesMinFlashMB = 8

# The bundle in $Folder, checked as the terminal checks a download: manifest.json as Terminal.Bundler writes it
# (format 1, a version, an entry point Namespace.Type.Method, at most 16 plain .pe names), every file there with its
# size and SHA-256. Returns @{ Version; Entry; Files = @(@{ Name; Path; Size }) }; throws with what is wrong.
function Read-AppBundle([string] $Folder) {
    $manifestPath = Join-Path $Folder 'manifest.json'
    if (-not (Test-Path -LiteralPath $manifestPath -PathType Leaf)) {
        throw "bundle '$Folder' has no manifest.json. What to do: build with -p:Device=true (it writes Terminal.Esp32/bin/Release/bundle, docs/device-build.md), give -Bundle, or give -NoUpdates to deploy the whole image"
    }
    try { $manifest = Get-Content -LiteralPath $manifestPath -Raw | ConvertFrom-Json -AsHashtable }
    catch { throw "bundle '$Folder': manifest.json is not JSON ($($_.Exception.Message))" }
    $where = "bundle '$Folder': manifest.json"
    if ($manifest -isnot [System.Collections.IDictionary] -or $manifest['format'] -ne 1) { throw "${where}: not format 1" }
    $version = [string] $manifest['version']
    if ($version -notmatch '^[0-9]{1,5}(\.[0-9]{1,5}){0,3}$') { throw "${where}: version '$version' is not 1 to 4 numbers separated by dots" }
    $entry = [string] $manifest['entry']
    if ($entry -notmatch '^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2,}$') { throw "${where}: entry '$entry' is not Namespace.Type.Method" }
    $listed = @($manifest['files'])
    if ($listed.Count -lt 1 -or $listed.Count -gt 16) { throw "${where}: $($listed.Count) files (1 to 16)" }

    $files = foreach ($file in $listed) {
        $name = [string] $file['name']
        if ($name -notmatch '^[A-Za-z0-9_.-]+\.pe$') { throw "${where}: '$name' is not a plain .pe file name" }
        $path = Join-Path $Folder $name
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) { throw "bundle '$Folder': $name is missing" }
        $bytes = [System.IO.File]::ReadAllBytes($path)
        if ($bytes.Length -ne [long] $file['size']) { throw "bundle '$Folder': $name has $($bytes.Length) bytes, the manifest says $($file['size'])" }
        $sha = [Convert]::ToHexStringLower([System.Security.Cryptography.SHA256]::HashData($bytes))
        if ($sha -ne [string] $file['sha256']) { throw "bundle '$Folder': $name does not match its SHA-256 in the manifest (damaged or replaced file)" }
        @{ Name = $name; Path = (Resolve-Path -LiteralPath $path).ProviderPath; Size = $bytes.Length }
    }
    return @{ Version = $version; Entry = $entry; Files = @($files) }
}

# The two file deployments that install $Bundle as the device's installed version: first the old load list and boot
# record deleted and every .pe written, then, only once the device accepted all of them, the load list (written into
# $Folder, a private temp folder the caller deletes). Without a load list the boot program starts nothing, so a run
# cut part-way, or a file the device refused, never boots a mix of old and new files.
function New-InstalledVersionFiles([hashtable] $Bundle, [string] $Folder) {
    $loadList = Join-Path $Folder 'load.lst'
    $lines = @($Bundle.Entry) + @($Bundle.Files | ForEach-Object Name)
    [System.IO.File]::WriteAllText($loadList, (($lines | ForEach-Object { "$_`n" }) -join ''), [System.Text.Encoding]::ASCII)
    $files = @(
        [ordered]@{ DestinationFilePath = "$InstalledDeviceFolder\load.lst.0" }
        [ordered]@{ DestinationFilePath = "$OtaDeviceRoot\boot\boot.0" }
        [ordered]@{ DestinationFilePath = "$OtaDeviceRoot\boot\boot.1" }
    )
    foreach ($file in $Bundle.Files) {
        $files += [ordered]@{ DestinationFilePath = "$InstalledDeviceFolder\$($file.Name).0"; SourceFilePath = $file.Path }
    }
    return @{ Files = $files; LoadList = @([ordered]@{ DestinationFilePath = "$InstalledDeviceFolder\load.lst.0"; SourceFilePath = $loadList }) }
}

# Whether this board takes updates: PSRAM firmware and enough flash for I: to hold two versions.
function Test-TakesUpdates([string] $Target, [int] $FlashMB) {
    return $Target -like '*PSRAM*' -and $FlashMB -ge $UpdatesMinFlashMB
}
