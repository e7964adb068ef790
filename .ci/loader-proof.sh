#!/usr/bin/env bash
# Part of CI's interpreter stage (.ci/nanoclr.sh, docs/ota.md "The proof on nanoCLR"): builds a program that holds
# the application's .pe files as plain bytes, so that on nanoCLR nothing of the application is deployed: only
# mscorlib, Terminal.Loader and these byte holders. Its Main hands the bytes to Terminal.Loader's AppLoader, which
# loads them with Assembly.Load(byte[]) and starts Terminal.NanoRunner's Main by name.
# The POSIX interpreter has no file system, so the bytes travel as array initialisers. They land in a .pe's
# signature table, which the format addresses with 16-bit offsets: one holder of all 301 KB converted without an
# error but its Main never ran (docs/ota.md). So the bytes are cut into 12 KB chunks, four chunks per holder assembly.
# usage: loader-proof.sh WORKDIR LOADER_DLL PEDIR NAME...   (NAMEs: the application's assemblies, dependencies first)
# out:   WORKDIR/pe/*.pe; prints the .pe files to run, in order (mscorlib first, the program last)
set -euo pipefail
tools="$(cd "$(dirname "$0")/.." && pwd)/../shared/tools/nanoclr"
work="$1"; loader="$2"; pedir="$3"; shift 3
corlib="${NANO_CORLIB:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/nanoframework.corelibrary/1.17.11/lib}"
chunk=12288; per_holder=4
mkdir -p "$work/src"

# The holders: LoaderProof.Bytes<h>.C<k>() returns chunk k (numbered across all holders).
split_dir="$work/chunks"; mkdir -p "$split_dir"
files=(); counts=(); total=0
for name in "$@"; do
  rm -f "$split_dir/$name".*
  split -b "$chunk" -d -a 3 "$pedir/$name.pe" "$split_dir/$name."
  n=$(ls "$split_dir/$name".* | wc -l)
  files+=("$name"); counts+=("$n"); total=$((total + n))
done
holders=$(( (total + per_holder - 1) / per_holder ))
holder_dlls=()
for h in $(seq 0 $((holders - 1))); do
  dir="$work/src/Bytes$h"; mkdir -p "$dir"
  holder_dlls+=("$work/bin/LoaderProof.Bytes$h.dll")
  echo "namespace LoaderProof { public static class Bytes$h {" > "$dir/Chunks.cs"
done
k=0
for name in "${files[@]}"; do
  for part in "$split_dir/$name".*; do
    h=$((k / per_holder))
    {
      echo "public static byte[] C$k() { return new byte[] {"
      od -An -v -tu1 -w32 "$part" | sed 's/^ *//; s/  */,/g; s/$/,/'
      echo '}; }'
    } >> "$work/src/Bytes$h/Chunks.cs"
    k=$((k + 1))
  done
done
for h in $(seq 0 $((holders - 1))); do echo '} }' >> "$work/src/Bytes$h/Chunks.cs"; done

# The program: an IAppFiles over the chunks (every file read once, before the loads, so that the loads are timed
# alone), and a Main that loads the application through Terminal.Loader and starts it by name.
dir="$work/src/Program"; mkdir -p "$dir"
{
  echo 'namespace LoaderProof {'
  echo 'internal static class Images {'
  echo '  public static readonly string[] Names = new string[] {'
  for name in "${files[@]}"; do echo "    \"$name.pe\","; done
  echo '  };'
  echo '  public static byte[][] Parts(string fileName) {'
  k=0; i=0
  for name in "${files[@]}"; do
    echo "    if (fileName == \"$name.pe\") { return new byte[][] {"
    for _ in $(seq 1 "${counts[$i]}"); do echo "      Bytes$((k / per_holder)).C$k(),"; k=$((k + 1)); done
    echo '    }; }'
    i=$((i + 1))
  done
  echo '    return null; } } }'
  cat <<'EOF'
namespace LoaderProof {
internal sealed class ChunkFiles : Terminal.Loader.IAppFiles {
  private readonly byte[][] files = new byte[Images.Names.Length][];
  public void ReadEverything() {
    for (int f = 0; f < files.Length; f++) {
      byte[][] parts = Images.Parts(Images.Names[f]);
      int length = 0; for (int i = 0; i < parts.Length; i++) { length += parts[i].Length; }
      byte[] all = new byte[length]; int at = 0;
      for (int i = 0; i < parts.Length; i++) { System.Array.Copy(parts[i], 0, all, at, parts[i].Length); at += parts[i].Length; }
      files[f] = all;
    }
  }
  public byte[] ReadAll(string version, string fileName) {
    for (int f = 0; f < files.Length; f++) { if (Images.Names[f] == fileName) { return files[f]; } }
    return null;
  }
}
public static class Program {
  public static void Main() {
    try {
      ChunkFiles source = new ChunkFiles();
      long started = System.DateTime.UtcNow.Ticks;
      source.ReadEverything();
      long read = System.DateTime.UtcNow.Ticks;
      System.Reflection.Assembly app = Terminal.Loader.AppLoader.LoadAll(source, "proof", Images.Names);
      long loaded = System.DateTime.UtcNow.Ticks;
      System.Console.WriteLine("timing loader: join " + Images.Names.Length + " files from their chunks: " + (read - started) / 10 + " us");
      System.Console.WriteLine("timing loader: Assembly.Load of " + Images.Names.Length + " files: " + (loaded - read) / 10 + " us");
      Terminal.Loader.AppLoader.Invoke(app, "Terminal.NanoRunner.Program", "Main");
    } catch (System.Exception e) {
      System.Console.WriteLine("FAIL loader: " + e.GetType().Name + " " + e.Message);
    }
  }
} }
EOF
} > "$dir/Program.cs"


# The C# compiler of the SDK that runs this script, called directly: no project per holder.
sdk="$(dotnet --list-sdks | tail -n 1 | sed -E 's/^([^ ]+) \[(.*)\]$/\2\/\1/')"
csc() { # OUT TARGET SOURCE REFERENCE...
  local out="$1" target="$2" src="$3"; shift 3
  local refs=(-r:"$corlib/mscorlib.dll"); for r in "$@"; do refs+=(-r:"$r"); done
  dotnet "$sdk/Roslyn/bincore/csc.dll" -nologo -noconfig -nostdlib -optimize -langversion:13.0 -target:"$target" \
    "${refs[@]}" -out:"$out" "$src" > "$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
}
mkdir -p "$work/bin"
for h in $(seq 0 $((holders - 1))); do
  csc "$work/bin/LoaderProof.Bytes$h.dll" library "$work/src/Bytes$h/Chunks.cs"
done
csc "$work/bin/LoaderProof.dll" exe "$dir/Program.cs" "$loader" "${holder_dlls[@]}"
"$tools/nano-convert" "$work/pe" "$loader" "${holder_dlls[@]}" "$work/bin/LoaderProof.dll" >&2
echo "$work/pe/mscorlib.pe $work/pe/Terminal.Loader.pe"
for h in $(seq 0 $((holders - 1))); do echo "$work/pe/LoaderProof.Bytes$h.pe"; done
echo "$work/pe/LoaderProof.pe"
