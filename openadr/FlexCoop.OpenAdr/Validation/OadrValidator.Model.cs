using FlexCoop.OpenAdr.Codec;

namespace FlexCoop.OpenAdr.Validation;

public sealed partial class OadrValidator
{
    partial void CheckModel(ReadOnlyMemory<byte> message, List<Violation> violations, int schemaErrors)
    {
        OadrDocument document;
        try
        {
            document = OadrCodec.Parse(message.Span, _options.Limits);
        }
        catch (OadrFormatException ex)
        {
            // The schema check already explains a structural problem; the codec's view adds nothing then.
            if (schemaErrors == 0)
            {
                violations.Add(ex.ToViolation());
            }
            return;
        }
        violations.AddRange(ModelRules.Check(document.Message, BasePath(document)));
    }

    /// <summary>The path of the payload element, with the conventional prefix.</summary>
    internal static string BasePath(OadrDocument document)
    {
        var name = "oadr:" + document.Message.ElementName;
        return document.Envelope switch
        {
            OadrEnvelope.OadrPayload => "/oadr:oadrPayload/oadr:oadrSignedObject/" + name,
            OadrEnvelope.OadrSignedObject => "/oadr:oadrSignedObject/" + name,
            _ => "/" + name,
        };
    }
}
