#!/usr/bin/env bash
# Part of CI's interpreter stage (.ci/nanoclr.sh, docs/ota.md "The proof on nanoCLR"): builds a program that holds
# the application's .pe files as plain bytes, so that on nanoCLR nothing of the application is deployed: only
# mscorlib, Terminal.Loader and these byte holders. Its Main takes the steps of the ESP32's boot program over them
# (a version folder of pieces and a load list, a boot record with that version on trial): Terminal.Loader chooses the
# version, joins the pieces, loads them with Assembly.Load(byte[]) and starts Terminal.NanoRunner's Main by name.
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

# The program: the chunks as the pieces of one version folder in memory, with its load list, and a boot record with
# that version on trial; a Main that takes the boot program's steps through Terminal.Loader (BootSelector chooses and
# counts the attempt, ChunkedAppFiles joins the pieces, LoadList names the files and the entry point, AppLoader loads
# them with Assembly.Load(byte[]) and starts the runner by name).
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
// A folder of the device's flash in memory (the interpreter has no file system): the boot program's view of I:\ota.
internal sealed class MemoryFolder : Terminal.Loader.Boot.ILoaderFolder {
  private readonly string[] names = new string[128];
  private readonly byte[][] contents = new byte[128][];
  private byte[] reading; private int readAt;
  private string writingName = ""; private byte[] writing = new byte[0]; private int writeLength;
  public MemoryFolder() { for (int i = 0; i < names.Length; i++) { names[i] = ""; } }
  public void Put(string file, byte[] bytes) {
    int free = -1;
    for (int i = 0; i < names.Length; i++) {
      if (names[i] == file) { contents[i] = bytes; return; }
      if (free < 0 && names[i].Length == 0) { free = i; }
    }
    names[free] = file; contents[free] = bytes;
  }
  public int OpenRead(string file) {
    reading = null;
    for (int i = 0; i < names.Length; i++) { if (names[i] == file) { reading = contents[i]; readAt = 0; return reading.Length; } }
    return -1;
  }
  public int Read(byte[] buffer, int offset, int count) {
    int n = reading.Length - readAt; if (n > count) { n = count; }
    System.Array.Copy(reading, readAt, buffer, offset, n); readAt += n; return n;
  }
  public void CloseRead() { reading = null; }
  public void Create(string file) { writingName = file; writing = new byte[256]; writeLength = 0; }
  public void Write(byte[] buffer, int offset, int count) {
    if (writeLength + count > writing.Length) { byte[] more = new byte[writeLength + count + 256]; System.Array.Copy(writing, 0, more, 0, writeLength); writing = more; }
    System.Array.Copy(buffer, offset, writing, writeLength, count); writeLength += count;
  }
  public void CloseWrite() { byte[] all = new byte[writeLength]; System.Array.Copy(writing, 0, all, 0, writeLength); Put(writingName, all); }
  public void Delete(string file) { for (int i = 0; i < names.Length; i++) { if (names[i] == file) { names[i] = ""; contents[i] = null; } } }
}
internal sealed class Versions : Terminal.Loader.Boot.IVersionFolders {
  private readonly string version; private readonly MemoryFolder folder;
  public Versions(string version, MemoryFolder folder) { this.version = version; this.folder = folder; }
  public Terminal.Loader.Boot.ILoaderFolder Folder(string v) { return v == version ? folder : new MemoryFolder(); }
}
// Every file read once before the loads (joined from its pieces by the loader's ChunkedAppFiles), so that the loads are timed alone.
internal sealed class Preloaded : Terminal.Loader.IAppFiles {
  private readonly string[] names; private readonly byte[][] files;
  public Preloaded(Terminal.Loader.IAppFiles source, string version, string[] names) {
    this.names = names; files = new byte[names.Length][];
    for (int f = 0; f < names.Length; f++) { files[f] = source.ReadAll(version, names[f]); }
  }
  public byte[] ReadAll(string version, string fileName) {
    for (int f = 0; f < names.Length; f++) { if (names[f] == fileName) { return files[f]; } }
    return null;
  }
}
public static class Program {
  private const string Version = "1.0.0";
  public static void Main() {
    try {
      // The version folder as the staging leaves it: each file in pieces name.pe.<k> (here the 12 KB chunks), and load.lst.0.
      MemoryFolder folder = new MemoryFolder();
      for (int f = 0; f < Images.Names.Length; f++) {
        byte[][] parts = Images.Parts(Images.Names[f]);
        for (int k = 0; k < parts.Length; k++) { folder.Put(Images.Names[f] + "." + k, parts[k]); }
      }
      folder.Put(Terminal.Loader.Boot.LoadList.FileName + ".0", Terminal.Loader.Boot.LoadList.Write("Terminal.NanoRunner.Program.Main", Images.Names));
      // The boot record with that version switched on trial, then the boot program's steps (Terminal.Loader BootSequence).
      Terminal.Loader.Boot.BootSelector selector = new Terminal.Loader.Boot.BootSelector(new MemoryFolder());
      selector.Switch(Version);
      Terminal.Loader.Boot.ChunkedAppFiles chunked = new Terminal.Loader.Boot.ChunkedAppFiles(new Versions(Version, folder));
      string version = selector.ChooseAtBoot();
      Terminal.Loader.Boot.BootState state = selector.State;
      if (version != Version || !state.OnTrial || state.Attempts != 1) {
        System.Console.WriteLine("FAIL loader: the boot record chose '" + version + "' with " + state.Attempts + " attempts");
        return;
      }
      Terminal.Loader.Boot.LoadList list = Terminal.Loader.Boot.LoadList.Parse(chunked.ReadAll(version, Terminal.Loader.Boot.LoadList.FileName));
      long started = System.DateTime.UtcNow.Ticks;
      Preloaded files = new Preloaded(chunked, version, list.Files);
      long read = System.DateTime.UtcNow.Ticks;
      System.Reflection.Assembly app = Terminal.Loader.AppLoader.LoadAll(files, version, list.Files);
      long loaded = System.DateTime.UtcNow.Ticks;
      System.Console.WriteLine("timing loader: join " + list.Files.Length + " files from their pieces: " + (read - started) / 10 + " us");
      System.Console.WriteLine("timing loader: Assembly.Load of " + list.Files.Length + " files: " + (loaded - read) / 10 + " us");
      Terminal.Loader.AppLoader.Invoke(app, list.EntryType, list.EntryMethod);
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
