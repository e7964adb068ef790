#!/usr/bin/env bash
# Fake nanoff for the Pester tests of flash.ps1 (installed on PATH as "nanoff"). It prints what nanoff prints (chip
# details through the ESP32 bootloader, device details from nanoCLR) and keeps each port's board as a small state
# folder, so that a test can swap boards, see the target that was flashed, or stop a run half way.
#   FAKE_NANOFF_LOG      appends one line per call: the arguments joined by single spaces
#   FAKE_NANOFF_PORTS    space-separated ports that --listports reports (none if empty)
#   FAKE_NANOFF_FAIL     comma-separated "<argument>[@<port>]:<code>[:quiet]": when <argument> is among the arguments
#                        (and the port, from --serialport or the --filedeployment JSON, is <port>), print
#                        "Error E<code>: ..." (nothing if quiet) and exit with <code> (the OS keeps 8 bits)
#   FAKE_NANOFF_HANG     "<argument>[@<port>]": print "fake nanoff: waiting" and sleep (a test interrupts the run)
#   FAKE_NANOFF_BOARDS   folder of boards, one subfolder per port (its base name): "mac", "psram" ("8MB",
#                        "not available", "undetermined") and "flash" (megabytes, default 4) describe the board;
#                        "target" is written by --update. A port without a folder has a board whose MAC is derived
#                        from the port name, without PSRAM, with 4 MB flash.
#   FAKE_NANOFF_CAPTURE  folder that receives the --filedeployment JSON and every file it names, as the device storage
#                        would: in a subfolder per port (its base name) and one per board ("mac-" and the MAC's digits),
#                        each file under its source's name and under storage/<destination path below I:\> (an entry
#                        without a source deletes that file there); every JSON is also kept as deploy-<n>.json
#   FAKE_NANOFF_REFUSE   a destination path (I:\...): --filedeployment prints nanoff's "Error deploying content file"
#                        line for it and still exits 0, as nanoff does
set -u
printf '%s\n' "$*" >> "${FAKE_NANOFF_LOG:?}"

port=""
previous=""
for arg in "$@"; do
    [[ "$previous" == "--serialport" ]] && port="$arg"
    # --filedeployment names its port inside the JSON.
    [[ "$previous" == "--filedeployment" ]] && port="$(grep -o '"SerialPort": *"[^"]*"' "$arg" | sed 's/.*: *"\(.*\)"$/\1/')"
    previous="$arg"
done
base="$(basename "${port:-none}")"

matches() { # matches "<argument>[@<port>]": the argument is given (on that port)
    local wanted="${1%%@*}" on=""
    [[ "$1" == *@* ]] && on="${1#*@}"
    [[ -n "$on" && "$on" != "$port" ]] && return 1
    for arg in "${@:2}"; do [[ "$arg" == "$wanted" ]] && return 0; done
    return 1
}

if [[ -n "${FAKE_NANOFF_FAIL:-}" ]]; then
    IFS=',' read -r -a failures <<< "$FAKE_NANOFF_FAIL"
    for failure in "${failures[@]}"; do
        IFS=':' read -r fail_arg fail_code fail_quiet <<< "$failure"
        if matches "$fail_arg" "$@"; then
            [[ "${fail_quiet:-}" == "quiet" ]] || echo "Error E${fail_code}: simulated failure."
            exit "$fail_code"
        fi
    done
fi

if [[ -n "${FAKE_NANOFF_HANG:-}" ]] && matches "$FAKE_NANOFF_HANG" "$@"; then
    echo "fake nanoff: waiting"
    sleep 60
    exit 0
fi

board="${FAKE_NANOFF_BOARDS:-/nonexistent}/$base"
read_board() { # read_board <file> <default>
    if [[ -f "$board/$1" ]]; then cat "$board/$1"; else echo "$2"; fi
}
default_mac() { # default_mac <port base name>: a MAC of its own for each port
    printf '%s' "$1" | cksum | awk '{ printf "24:0A:C4:%02X:%02X:%02X", int($1 / 65536) % 256, int($1 / 256) % 256, $1 % 256 }'
}
mac="$(read_board mac "$(default_mac "$base")")"

chip_details() {
    echo "Reading details from chip...OK"
    echo ""
    echo "Connected to:"
    echo "ESP32 (ESP32-D0WD-V3 (revision v3.0))"
    echo "Features Wi-Fi, BT, Dual Core + LP Core, 240MHz, Vref calibration in eFuse, Coding Scheme None"
    echo "Flash size $(read_board flash 4)MB GD25Q32 from GIGADEVICE (manufacturer 0xC8 device 0x4016)"
    echo "PSRAM: $(read_board psram 'not available')"
    echo "Crystal 40MHz"
    echo "MAC $mac"
}

echo ".NET nanoFramework Firmware Flasher (fake)"
previous=""
for arg in "$@"; do
    case "$arg" in
        --listports)
            if [[ -n "${FAKE_NANOFF_PORTS:-}" ]]; then
                echo "Available COM ports:"
                for listed in $FAKE_NANOFF_PORTS; do echo "  $listed"; done
            else
                echo "No available COM port."
            fi
            ;;
        --update)
            chip_details
            target=""
            prev=""
            for a in "$@"; do [[ "$prev" == "--target" ]] && target="$a"; prev="$a"; done
            if [[ -n "${FAKE_NANOFF_BOARDS:-}" ]]; then
                mkdir -p "$board"
                printf '%s' "$target" > "$board/target"
            fi
            echo "Flash write complete."
            ;;
        --devicedetails)
            if [[ " $* " == *" --nanodevice "* ]]; then
                echo "System Information"
                echo "HAL build info: nanoCLR running @ ESP32 built with ESP-IDF v5.2.3"
                echo "  Target:   $(read_board target ESP32_REV3)"
                echo "  Platform: ESP32"
            else
                chip_details
            fi
            ;;
    esac
    if [[ "$previous" == "--filedeployment" && -n "${FAKE_NANOFF_CAPTURE:-}" ]]; then
        deployed_port="$(grep -o '"SerialPort": *"[^"]*"' "$arg" | sed 's/.*: *"\(.*\)"$/\1/')"
        board="${FAKE_NANOFF_BOARDS:-/nonexistent}/$(basename "$deployed_port")"
        deployed_mac="$(read_board mac "$(default_mac "$(basename "$deployed_port")")")"
        for target_folder in "$FAKE_NANOFF_CAPTURE/$(basename "$deployed_port")" "$FAKE_NANOFF_CAPTURE/mac-${deployed_mac//:/}"; do
            mkdir -p "$target_folder"
            cp "$arg" "$target_folder/deploy.json"
            cp "$arg" "$target_folder/deploy-$(ls "$target_folder" | grep -c '^deploy-').json"
            grep -o '"SourceFilePath": *"[^"]*"' "$arg" | sed 's/.*: *"\(.*\)"$/\1/' | while read -r source; do
                cp "$source" "$target_folder/"
            done
            # Destination and source of each entry, in order (ConvertTo-Json writes one member per line).
            destination=""
            while IFS= read -r line; do
                if [[ "$line" =~ \"DestinationFilePath\":\ *\"(.*)\" ]]; then
                    [[ -n "$destination" ]] && rm -f "$target_folder/storage/$destination"
                    destination="${BASH_REMATCH[1]#I:\\\\}"; destination="${destination//\\\\//}"
                elif [[ "$line" =~ \"SourceFilePath\":\ *\"(.*)\" ]]; then
                    if [[ "${FAKE_NANOFF_REFUSE:-}" == "I:\\${destination//\//\\}" ]]; then
                        # Once per deployment, as nanoff prints it (this loop stores the files twice).
                        [[ "$target_folder" == "$FAKE_NANOFF_CAPTURE/$(basename "$deployed_port")" ]] && echo "Error deploying content file ${BASH_REMATCH[1]} to ${FAKE_NANOFF_REFUSE}"
                    else
                        mkdir -p "$(dirname "$target_folder/storage/$destination")"
                        cp "${BASH_REMATCH[1]}" "$target_folder/storage/$destination"
                    fi
                    destination=""
                fi
            done < "$arg"
            [[ -n "$destination" ]] && rm -f "$target_folder/storage/$destination"
        done
    fi
    previous="$arg"
done
exit 0
