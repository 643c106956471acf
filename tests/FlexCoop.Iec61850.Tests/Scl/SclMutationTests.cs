using System.Text;
using CsCheck;
using FlexCoop.Iec61850.Model;
using FlexCoop.Iec61850.Scl;

namespace FlexCoop.Iec61850.Tests.Scl;

/// <summary>
/// Random damage to a valid SCL file never escapes as anything but <see cref="SclException"/>:
/// the reader and resolver either give a (possibly partial) model with diagnostics or a typed error.
/// </summary>
public sealed class SclMutationTests
{
    private static readonly string DerUnit = File.ReadAllText(SclVectors.DerUnit);
    private static readonly string[] Lines = DerUnit.Split('\n');

    private static readonly string[] Tokens =
    [
        "<", ">", "/>", "\"", "&", "&amp;", "]]>", "<!--", "<![CDATA[", "<!DOCTYPE x>", "\0", "\uFFFF", "é", "99999999999999999999",
        "-1", "4000000000", "sGroup=\"4000000000\"", "", " ", "LLN0", "Struct", "Enum", "ST", "fc=\"XX\"", "type=\"\"", "name=\"\"", "count=\"4294967296\"", "ord=\"x\"",
        "<SDO name=\"x\" type=\"MV\"/>", "<DA name=\"mag\" bType=\"Struct\" type=\"Vector\" fc=\"MX\"/>", "<BDA name=\"mag\" bType=\"Struct\" type=\"Vector\"/>",
        "<DAI name=\"stVal\"><Val>x</Val></DAI>", "<FCDA ldInst=\"\" fc=\"ST\"/>", "<LN lnClass=\"\" inst=\"x\" lnType=\"\"/>",
    ];

    /// <summary>Byte-level damage: cut, insert a token, replace a range, truncate.</summary>
    private static readonly Gen<string> CharMutation =
        Gen.Select(Gen.Int[0, DerUnit.Length - 1], Gen.Int[0, 40], Gen.Int[0, Tokens.Length - 1], Gen.Int[0, 3])
            .Select(t =>
            {
                var (pos, len, token, kind) = t;
                len = Math.Min(len, DerUnit.Length - pos);
                return kind switch
                {
                    0 => DerUnit.Remove(pos, len),
                    1 => DerUnit.Insert(pos, Tokens[token]),
                    2 => DerUnit.Remove(pos, len).Insert(pos, Tokens[token]),
                    _ => DerUnit[..pos],
                };
            });

    /// <summary>Line-level damage that mostly keeps the XML well-formed: drop, duplicate or swap whole lines, or edit an attribute.</summary>
    private static readonly Gen<string> LineMutation =
        Gen.Int[0, Lines.Length - 1].Array[1, 6].Select(Gen.Int[0, 3], Gen.Int[0, Tokens.Length - 1])
            .Select(t =>
            {
                var (picks, kind, token) = t;
                var lines = Lines.ToList();
                foreach (var p in picks.OrderDescending())
                {
                    if (p >= lines.Count) continue;
                    switch (kind)
                    {
                        case 0:
                            lines.RemoveAt(p);
                            break;
                        case 1:
                            lines.Insert(p, lines[p]);
                            break;
                        case 2:
                            var other = (p * 7 + 3) % lines.Count;
                            (lines[p], lines[other]) = (lines[other], lines[p]);
                            break;
                        default:
                            var q = lines[p].IndexOf("=\"", StringComparison.Ordinal);
                            if (q > 0)
                            {
                                var end = lines[p].IndexOf('"', q + 2);
                                if (end > q) lines[p] = lines[p][..(q + 2)] + Tokens[token].Replace("\"", "", StringComparison.Ordinal) + lines[p][end..];
                            }
                            break;
                    }
                }
                return string.Join('\n', lines);
            });

    [Fact]
    public void Character_mutations_never_throw_anything_but_SclException()
    {
        CharMutation.Sample(ReadAndWalk, iter: 400);
    }

    [Fact]
    public void Line_mutations_never_throw_anything_but_SclException()
    {
        LineMutation.Sample(ReadAndWalk, iter: 400);
    }

    [Fact]
    public void Line_mutations_that_stay_well_formed_give_diagnostics_with_lines_inside_the_file()
    {
        LineMutation.Sample(xml =>
        {
            SclResolution resolution;
            try
            {
                resolution = SclResolver.Resolve(SclDocument.Parse(xml));
            }
            catch (SclException)
            {
                return true;
            }
            var lineCount = xml.Count(c => c == '\n') + 1;
            return resolution.Diagnostics.All(d => d.Line >= 1 && d.Line <= lineCount && d.Column >= 1 && d.Message.Length > 0);
        }, iter: 200);
    }

    private static void ReadAndWalk(string xml)
    {
        try
        {
            var resolution = SclResolver.Resolve(SclDocument.Load(new MemoryStream(Encoding.UTF8.GetBytes(xml))));
            foreach (var model in resolution.Ieds)
            {
                // Everything the MMS server will do with a model must work on a partial one too.
                foreach (var node in model.Walk())
                {
                    if (node is LogicalNode ln)
                    {
                        foreach (var group in ln.FunctionalView)
                        {
                            foreach (var member in group.Members) _ = ln.LogicalDevice.FindMmsVariable(member.MmsItemId);
                        }
                    }
                    _ = model.FindNode(node.Reference);
                }
                foreach (var ds in model.DataSets)
                {
                    foreach (var m in ds.Members) _ = m.MmsItemId;
                }
            }
            _ = resolution.Diagnostics.Select(d => d.ToString()).ToList();
        }
        catch (SclException)
        {
            // The one allowed failure.
        }
    }
}
