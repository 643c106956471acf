using CsCheck;
using FlexCoop.OpenAdr.Codec;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Tests.Codec;

/// <summary>Random valid messages of every type: serialise → schema-valid → parse → equal.</summary>
public sealed class PropertyTests
{
    public static TheoryData<string> Types() => new(OadrGenerators.ByType.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Types))]
    public void Random_message_serialises_schema_valid_and_parses_back_equal(string type)
    {
        OadrSchemaSupport.Require();
        Gen.Select(OadrGenerators.ByType[type], OadrGenerators.Options).Sample((message, options) =>
        {
            Assert.Equal(type, message.ElementName);
            var bytes = OadrCodec.SerializeToUtf8Bytes(message, options);
            var errors = OadrSchemaSupport.Validate(bytes);
            Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n" + System.Text.Encoding.UTF8.GetString(bytes));
            var doc = OadrCodec.Parse(bytes);
            Assert.Equal(message, doc.Message);
            Assert.Equal(options.Envelope, doc.Envelope);
            Assert.Equal(options.SignedObjectId, doc.SignedObjectId);
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void Random_message_written_to_a_buffer_writer_a_stream_and_a_string_is_the_same_document()
    {
        OadrGenerators.Message.Sample(message =>
        {
            var bytes = OadrCodec.SerializeToUtf8Bytes(message);
            var stream = new MemoryStream();
            OadrCodec.Serialize(message, stream);
            Assert.Equal(bytes, stream.ToArray());
            var text = OadrCodec.SerializeToString(message);
            Assert.Equal(message, OadrCodec.Parse(text).Message);
            stream.Position = 0;
            Assert.Equal(message, OadrCodec.Parse(stream).Message);
        }, iter: 100);
    }

    [Fact]
    public async Task Random_messages_of_every_type_pass_xmllint()
    {
        var xmllint = FlexCoop.Testing.TestEnvironment.RequireTool("xmllint", "libxml2-utils");
        var dir = Directory.CreateTempSubdirectory("oadr-property-");
        try
        {
            var files = new List<string>();
            foreach (var (type, gen) in OadrGenerators.ByType)
            {
                var i = 0;
                gen.Sample(message =>
                {
                    var file = Path.Combine(dir.FullName, $"{type}-{i++}.xml");
                    File.WriteAllBytes(file, OadrCodec.SerializeToUtf8Bytes(message));
                    files.Add(file);
                }, iter: 8, threads: 1);
            }
            var (code, stdout, stderr) = await FlexCoop.Testing.TestEnvironment.RunAsync(
                xmllint, ["--noout", "--nonet", "--schema", Path.Combine(OadrSchemaSupport.SchemaDirectory, "oadr_20b.xsd"), .. files]);
            Assert.True(code == 0, stdout + stderr);
            Assert.Equal(files.Count, CountOf(stderr, " validates"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
