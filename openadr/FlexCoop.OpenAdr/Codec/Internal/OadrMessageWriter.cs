using System.Globalization;
using System.Xml;
using FlexCoop.OpenAdr.Model;

namespace FlexCoop.OpenAdr.Codec.Internal;

/// <summary>
/// Writes the model with an <see cref="XmlWriter"/>, in schema sequence order, with the conventional
/// prefixes declared once on the root and never a <c>schemaLocation</c>.
/// </summary>
internal sealed partial class OadrMessageWriter(XmlWriter w)
{
    private const string Oadr = "oadr";
    private const string Pyld = "pyld";
    private const string Ei = "ei";
    private const string Emix = "emix";
    private const string Xcal = "xcal";
    private const string Strm = "strm";
    private const string Power = "power";
    private const string Scale = "scale";
    private const string Gml = "gml";

    private readonly char[] _buffer = new char[64];
    private bool _rootWritten;

    public void WriteDocument(OadrMessage message, OadrSerializerOptions options)
    {
        if (options.XmlDeclaration) w.WriteStartDocument();
        switch (options.Envelope)
        {
            case OadrEnvelope.OadrPayload:
                Root("oadrPayload");
                SignedObject(message, options.SignedObjectId);
                w.WriteEndElement();
                break;
            case OadrEnvelope.OadrSignedObject:
                SignedObject(message, options.SignedObjectId);
                break;
            default:
                WriteMessage(message);
                break;
        }
        w.WriteEndDocument();
    }

    private void SignedObject(OadrMessage message, string? id)
    {
        Root("oadrSignedObject");
        if (id is not null) w.WriteAttributeString(Oadr, "Id", Ns.Oadr, id);
        WriteMessage(message);
        w.WriteEndElement();
    }

    /// <summary>Starts an oadr element; the first one declares every conventional namespace.</summary>
    private void Root(string local)
    {
        w.WriteStartElement(Oadr, local, Ns.Oadr);
        if (_rootWritten) return;
        _rootWritten = true;
        foreach (var (prefix, uri) in Ns.Declared)
        {
            w.WriteAttributeString("xmlns", prefix, Ns.Xmlns, uri);
        }
    }

    private void StartMessage(OadrMessage message)
    {
        Root(message.ElementName);
        if (message.SchemaVersion is { } version) w.WriteAttributeString(Ei, "schemaVersion", Ns.Ei, version.Value ?? "");
    }

    // ---- primitives ----------------------------------------------------------------------------

    private void Start(string prefix, string local, string ns) => w.WriteStartElement(prefix, local, ns);

    private void End() => w.WriteEndElement();

    private void Leaf(string prefix, string local, string ns, string value)
    {
        w.WriteStartElement(prefix, local, ns);
        w.WriteString(value);
        w.WriteEndElement();
    }

    private void Leaf(string prefix, string local, string ns, string? value, bool optional)
    {
        if (value is null && optional) return;
        Leaf(prefix, local, ns, value ?? "");
    }

    private void LeafChars(string prefix, string local, string ns, int count)
    {
        w.WriteStartElement(prefix, local, ns);
        w.WriteChars(_buffer, 0, count);
        w.WriteEndElement();
    }

    private void UInt(string prefix, string local, string ns, uint value)
    {
        value.TryFormat(_buffer, out var n, default, CultureInfo.InvariantCulture);
        LeafChars(prefix, local, ns, n);
    }

    private void Float(string prefix, string local, string ns, float value) =>
        LeafChars(prefix, local, ns, OadrText.FormatFloat(value, _buffer));

    private void Decimal(string prefix, string local, string ns, decimal value)
    {
        value.TryFormat(_buffer, out var n, default, CultureInfo.InvariantCulture);
        LeafChars(prefix, local, ns, n);
    }

    private void Bool(string prefix, string local, string ns, bool value) => Leaf(prefix, local, ns, value ? "true" : "false");

    private void DateTime(string prefix, string local, string ns, DateTimeOffset value) =>
        LeafChars(prefix, local, ns, OadrText.FormatDateTime(value, _buffer));

    private void DtStart(DateTimeOffset value)
    {
        Start(Xcal, "dtstart", Ns.Xcal);
        DateTime(Xcal, "date-time", Ns.Xcal, value);
        End();
    }

    /// <summary>An <c>xcal:DurationPropType</c> element holding <c>xcal:duration</c>.</summary>
    private void DurationProp(string prefix, string local, string ns, IsoDuration value)
    {
        Start(prefix, local, ns);
        Leaf(Xcal, "duration", Ns.Xcal, value.Text);
        End();
    }

    private void EiResponse(EiResponse response)
    {
        Start(Ei, "eiResponse", Ns.Ei);
        Leaf(Ei, "responseCode", Ns.Ei, response.ResponseCode.Value ?? "");
        Leaf(Ei, "responseDescription", Ns.Ei, response.ResponseDescription, optional: true);
        Leaf(Pyld, "requestID", Ns.Pyld, response.RequestId ?? "");
        End();
    }

    private void Strings(string prefix, string local, string ns, ValueList<string> values)
    {
        foreach (var v in values) Leaf(prefix, local, ns, v);
    }

    private void WrappedStrings(string outer, string inner, ValueList<string> values)
    {
        foreach (var v in values)
        {
            Start(Power, outer, Ns.Power);
            Leaf(Power, inner, Ns.Power, v);
            End();
        }
    }
}
