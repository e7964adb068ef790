#!/usr/bin/env bash
# CI's interpreter stage (docs/nanoclr.md): runs Terminal.NanoRunner, the firmware's self-test and end-to-end
# scenario, on the real nanoFramework interpreter (nanoCLR) and on .NET, and fails unless
#   - the interpreter finished and its output ends with the runner's own "N passed, M failed" line
#     (an unhandled exception ends nanoCLR silently with exit code 0, so that line is the only proof),
#   - both runtimes printed the same lines (the "timing" lines aside), and
#   - nothing failed.
# The interpreter and the MetadataProcessor are not part of the repository. This stage uses the team's build of
# them beside the checkout, ../shared/tools/nanoclr, and skips with one line when it is absent (a user's clone).
# Last line: "nanoclr: passed ...", "nanoclr: skipped ..." or "nanoclr: FAILED ...". Exit 0 passed or skipped, 1 failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

tools="../shared/tools/nanoclr"
if [ ! -x "$tools/nano-run" ] || [ ! -x "$tools/nano-convert" ]; then
  echo "nanoclr: skipped (no nanoFramework interpreter in ../shared/tools/nanoclr beside this checkout; the .NET tests run the same scenario)"
  exit 0
fi

started=$(date +%s)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "nanoclr: FAILED, $* ($(( $(date +%s) - started )) s)"
  exit 1
}

# Release: the timing lines should be those of optimised code on both runtimes.
if ! dotnet build Terminal.NanoRunner/Terminal.NanoRunner.csproj -c Release -nologo -v q > "$work/build.txt" 2>&1; then
  tail -n 30 "$work/build.txt"
  fail "the runner did not build"
fi

nano=Terminal.NanoRunner/bin/Release/netstandard2.0
# Dependencies first, the runner last.
# Terminal.Loader is the flashed part (docs/ota.md): deployed with the static run, never in the bundle.
flashed="Terminal.Loader"
assemblies="Terminal.Drivers Terminal.Core Terminal.Io Terminal.Payments Terminal.Transactions Terminal.Vending Terminal.DeviceLink Terminal.Updates Terminal.Countertop Terminal.Firmware Terminal.NanoRunner"
dlls=(); pes=("$work/pe/mscorlib.pe")
for a in $flashed $assemblies; do dlls+=("$nano/$a.dll"); pes+=("$work/pe/$a.pe"); done
"$tools/nano-convert" "$work/pe" "${dlls[@]}" || fail "the MetadataProcessor refused an assembly"
"$tools/nano-run" -t 600 "${pes[@]}" > "$work/nanoclr.txt"
run_rc=$?
dotnet Terminal.NanoRunner/bin/Release/net10.0/Terminal.NanoRunner.dll > "$work/dotnet.txt" 2>&1

echo "--- nanoCLR output"
cat "$work/nanoclr.txt"
echo "--- .NET timing"
grep '^timing' "$work/dotnet.txt"
echo "--- timing, nanoCLR / .NET"
awk 'match($0, /: [0-9.]+ us \(/) {
       name = substr($0, 8, RSTART - 8); value = substr($0, RSTART + 2) + 0
       if (FNR == NR) { nano[name] = value; order[++n] = name } else { net[name] = value }
     }
     END { for (i = 1; i <= n; i++) { k = order[i]; if ((k in net) && net[k] > 0)
             printf "%-62s %12.1f us %10.2f us %8.0fx\n", k, nano[k], net[k], nano[k] / net[k] } }' \
  "$work/nanoclr.txt" "$work/dotnet.txt"
echo "---"

case $run_rc in
  0) ;;
  3) fail "the interpreter timed out" ;;
  *) fail "the interpreter died (nano-run exit $run_rc)" ;;
esac

summary='^[0-9]+ passed, [0-9]+ failed$'
last="$(tail -n 1 "$work/nanoclr.txt")"
if ! grep -Eq "$summary" <<< "$last"; then
  fail "the nanoCLR run ended without its closing line (an unhandled exception?); last line: '$last'"
fi

if ! diff <(grep -v '^timing' "$work/nanoclr.txt") <(grep -v '^timing' "$work/dotnet.txt") > "$work/diff.txt"; then
  echo "--- lines that differ (< nanoCLR, > .NET)"
  cat "$work/diff.txt"
  fail "nanoCLR and .NET printed different lines"
fi

failed="$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed$/\1/' <<< "$last")"
[ "$failed" = 0 ] || fail "$last on both runtimes"

# The OTA loader proof (docs/ota.md): only mscorlib, Terminal.Loader and byte holders are deployed; the loader reads
# the application's .pe files as bytes, loads them with Assembly.Load(byte[]) and starts the same runner by name.
# Its lines must be those of the static run. The interpreter prints its assembly table for every load (indented
# lines, "Total:" lines, blank lines): those are cut before comparing.
# The files come from a bundle that Terminal.Bundler makes of the converted .pe files, as the device build does.
for p in Terminal.Loader Terminal.Bundler; do
  if ! dotnet build $p/$p.csproj -c Release -nologo -v q > "$work/build-$p.txt" 2>&1; then
    tail -n 30 "$work/build-$p.txt"
    fail "$p did not build"
  fi
done
dotnet Terminal.Bundler/bin/Release/net10.0/Terminal.Bundler.dll --pe "$work/pe" --version 1.0.0 \
  --entry Terminal.NanoRunner.Program.Main --out "$work/bundle" ${assemblies} || fail "the bundle was not made"
proof_pes=$(.ci/loader-proof.sh "$work/proof" "$PWD/Terminal.Loader/bin/Release/netstandard2.0/Terminal.Loader.dll" "$work/bundle" ${assemblies}) \
  || fail "the loader proof did not build"
"$tools/nano-run" -t 600 $proof_pes > "$work/proof-raw.txt"
proof_rc=$?
grep -Ev '^$|^   |^Total: \(' "$work/proof-raw.txt" > "$work/proof.txt"
echo "--- loader proof: assemblies loaded from bytes (nanoCLR's table)"
grep -E '^   Assembly: ' "$work/proof-raw.txt"
grep -E '^timing loader' "$work/proof.txt"
echo "---"
[ $proof_rc = 0 ] || fail "the loader proof did not finish on the interpreter (nano-run exit $proof_rc)"
if ! diff <(grep -v '^timing' "$work/nanoclr.txt") <(grep -v '^timing' "$work/proof.txt") > "$work/proof-diff.txt"; then
  echo "--- lines that differ (< static deployment, > loaded from bytes)"
  cat "$work/proof-diff.txt"
  fail "the application loaded from bytes printed other lines than the static deployment"
fi

echo "nanoclr: passed, $last on nanoCLR and .NET with identical lines, and the same loaded from bytes by Terminal.Loader ($(( $(date +%s) - started )) s)"
