#!/usr/bin/env bash
# Fake nanoff for tests/flash/flash.Tests.ps1 (installed on PATH as "nanoff").
#   FAKE_NANOFF_LOG      appends one line per call: the arguments joined by single spaces
#   FAKE_NANOFF_PORTS    space-separated ports that --listports reports (none if empty)
#   FAKE_NANOFF_FAIL     "<argument>:<code>[:quiet]": when <argument> is among the arguments, print
#                        "Error E<code>: ..." (nothing if quiet) and exit with <code> (the OS keeps 8 bits)
#   FAKE_NANOFF_CAPTURE  folder that receives the --filedeployment JSON and every file it names, as the
#                        device storage would
set -u
printf '%s\n' "$*" >> "${FAKE_NANOFF_LOG:?}"

if [[ -n "${FAKE_NANOFF_FAIL:-}" ]]; then
    IFS=':' read -r fail_arg fail_code fail_quiet <<< "$FAKE_NANOFF_FAIL"
    for arg in "$@"; do
        if [[ "$arg" == "$fail_arg" ]]; then
            [[ "${fail_quiet:-}" == "quiet" ]] || echo "Error E${fail_code}: simulated failure."
            exit "$fail_code"
        fi
    done
fi

echo ".NET nanoFramework Firmware Flasher (fake)"
previous=""
for arg in "$@"; do
    case "$arg" in
        --listports)
            if [[ -n "${FAKE_NANOFF_PORTS:-}" ]]; then
                echo "Available COM ports:"
                for port in $FAKE_NANOFF_PORTS; do echo "  $port"; done
            else
                echo "No available COM port."
            fi
            ;;
        --devicedetails)
            echo "Connected to nanoDevice"
            echo "  Target:      ESP32_REV3"
            echo "  Platform:    ESP32"
            ;;
    esac
    if [[ "$previous" == "--filedeployment" && -n "${FAKE_NANOFF_CAPTURE:-}" ]]; then
        mkdir -p "$FAKE_NANOFF_CAPTURE"
        cp "$arg" "$FAKE_NANOFF_CAPTURE/deploy.json"
        grep -o '"SourceFilePath": *"[^"]*"' "$arg" | sed 's/.*: *"\(.*\)"$/\1/' | while read -r source; do
            cp "$source" "$FAKE_NANOFF_CAPTURE/"
        done
    fi
    previous="$arg"
done
exit 0
