using System.Buffers.Binary;
using System.Text;

namespace Sciot.Training;

/// <summary>
/// Makes TorchSharp 0.107's <c>libLibTorchSharp.so</c> load on Debian 12. The library lists <c>GLIBCXX_3.4.32</c>
/// among its needed versions (for <c>_ZSt21ios_base_library_initv</c>, which no relocation uses) and Debian 12's
/// libstdc++ stops at 3.4.30, so the loader refuses it. Setting VER_FLG_WEAK on that one version-needed entry
/// (<c>.gnu.version_r</c>) turns the hard failure into a tolerated absence. Only the copy in this tool's build
/// output is changed (written to a temporary file and renamed over it, so a hard link into the NuGet cache is
/// never written through); the NuGet cache stays as published.
/// </summary>
public static class LibTorchSharpPatch
{
    public const string LibraryName = "libLibTorchSharp.so";
    public const string MissingVersion = "GLIBCXX_3.4.32";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Returns what was done, for the start-up log line.</summary>
    public static string Apply(string folder)
    {
        var path = Path.Combine(folder, LibraryName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{LibraryName} is not in the build output {folder}; was the tool built for linux-x64?", path);
        }
        var bytes = File.ReadAllBytes(path);
        var entry = FindVersionNeed(bytes, MissingVersion);
        if (entry is null)
        {
            return $"{LibraryName} does not need {MissingVersion}: nothing to patch";
        }
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(entry.Value + 4));
        if ((flags & VerFlagWeak) != 0)
        {
            return $"{LibraryName}: {MissingVersion} already weak";
        }
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(entry.Value + 4), (ushort)(flags | VerFlagWeak));
        var temp = path + ".patching";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return $"{LibraryName}: marked version need {MissingVersion} weak (build-output copy only)";
    }

    /// <summary>File offset of the Vernaux entry naming <paramref name="version"/>, or null.</summary>
    private static int? FindVersionNeed(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{LibraryName} is not a little-endian 64-bit ELF file");
        }
        var sectionTable = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        var count = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (var s = 0; s < count; s++)
        {
            var header = elf.AsSpan(sectionTable + s * entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
            var needs = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[44..]);
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(sectionTable + link * entrySize + 24));
            var need = offset;
            for (var n = 0; n < needs; n++)
            {
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(need + 2));
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 8));
                for (var a = 0; a < auxCount; a++)
                {
                    var name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    var end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version)
                    {
                        return aux;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(need + 12));
            }
        }
        return null;
    }
}
