using System.Text;

namespace FlexCoop.OpenAdr.Tests.Validation;

/// <summary>
/// A small valid oadrDistributeEvent of our own, with knobs to break one rule at a time.
/// One event with a SIMPLE signal of two 30-minute intervals over a one-hour active period.
/// </summary>
internal sealed record DistributeFixture
{
    public string RequestId { get; init; } = "req-0001";
    public string VtnId { get; init; } = "flexcoop-vtn";
    public string EventId { get; init; } = "event-0001";
    public int ModificationNumber { get; init; }
    public string Status { get; init; } = "far";
    public string CreatedDateTime { get; init; } = "2026-11-30T08:00:00Z";
    public string DtStart { get; init; } = "2026-11-30T10:00:00Z";
    public string ActiveDuration { get; init; } = "PT1H";
    public string? TestEvent { get; init; }
    public string[] IntervalDurations { get; init; } = ["PT30M", "PT30M"];
    public string[]? Uids { get; init; }
    public string[]? Values { get; init; }
    public string SignalName { get; init; } = "SIMPLE";
    public bool SecondSimpleSignal { get; init; }
    public string? CurrentValue { get; init; }
    public bool SchemaLocation { get; init; }
    public bool Wrapped { get; init; } = true;

    public string Event(string eventId, string status, int? priority = null) => $"""
            <oadr:oadrEvent>
              <ei:eiEvent>
                <ei:eventDescriptor>
                  <ei:eventID>{eventId}</ei:eventID>
                  <ei:modificationNumber>{ModificationNumber}</ei:modificationNumber>
                  {(priority is { } p ? $"<ei:priority>{p}</ei:priority>" : "")}
                  <ei:eiMarketContext>
                    <emix:marketContext>http://flexcoop.example/programs/peak</emix:marketContext>
                  </ei:eiMarketContext>
                  <ei:createdDateTime>{CreatedDateTime}</ei:createdDateTime>
                  <ei:eventStatus>{status}</ei:eventStatus>
                  {(TestEvent is null ? "" : $"<ei:testEvent>{TestEvent}</ei:testEvent>")}
                </ei:eventDescriptor>
                <ei:eiActivePeriod>
                  <xcal:properties>
                    <xcal:dtstart><xcal:date-time>{DtStart}</xcal:date-time></xcal:dtstart>
                    <xcal:duration><xcal:duration>{ActiveDuration}</xcal:duration></xcal:duration>
                  </xcal:properties>
                  <xcal:components xsi:nil="true"/>
                </ei:eiActivePeriod>
                <ei:eiEventSignals>
                  {Signal("sig-1")}
                  {(SecondSimpleSignal ? Signal("sig-2") : "")}
                </ei:eiEventSignals>
                <ei:eiTarget/>
              </ei:eiEvent>
              <oadr:oadrResponseRequired>always</oadr:oadrResponseRequired>
            </oadr:oadrEvent>
        """;

    private string Signal(string signalId)
    {
        var intervals = new StringBuilder();
        for (var i = 0; i < IntervalDurations.Length; i++)
        {
            var uid = Uids is null ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : Uids[i];
            var value = Values is null ? "1" : Values[i];
            intervals.Append($"""
                    <ei:interval>
                      <xcal:duration><xcal:duration>{IntervalDurations[i]}</xcal:duration></xcal:duration>
                      <xcal:uid><xcal:text>{uid}</xcal:text></xcal:uid>
                      <ei:signalPayload><ei:payloadFloat><ei:value>{value}</ei:value></ei:payloadFloat></ei:signalPayload>
                    </ei:interval>
                """);
        }
        return $"""
                  <ei:eiEventSignal>
                    <strm:intervals>
                      {intervals}
                    </strm:intervals>
                    <ei:signalName>{SignalName}</ei:signalName>
                    <ei:signalType>level</ei:signalType>
                    <ei:signalID>{signalId}</ei:signalID>
                    {(CurrentValue is null ? "" : $"<ei:currentValue><ei:payloadFloat><ei:value>{CurrentValue}</ei:value></ei:payloadFloat></ei:currentValue>")}
                  </ei:eiEventSignal>
            """;
    }

    public string Xml(params string[] events)
    {
        var body = events.Length == 0 ? Event(EventId, Status) : string.Concat(events);
        var ns = """
            xmlns:oadr="http://openadr.org/oadr-2.0b/2012/07" xmlns:ei="http://docs.oasis-open.org/ns/energyinterop/201110" xmlns:pyld="http://docs.oasis-open.org/ns/energyinterop/201110/payloads" xmlns:emix="http://docs.oasis-open.org/ns/emix/2011/06" xmlns:xcal="urn:ietf:params:xml:ns:icalendar-2.0" xmlns:strm="urn:ietf:params:xml:ns:icalendar-2.0:stream" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            """;
        var schemaLocation = SchemaLocation ? " xsi:schemaLocation=\"http://openadr.org/oadr-2.0b/2012/07 oadr_20b.xsd\"" : "";
        var distribute = $"""
            <oadr:oadrDistributeEvent ei:schemaVersion="2.0b"{(Wrapped ? "" : " " + ns + schemaLocation)}>
              <pyld:requestID>{RequestId}</pyld:requestID>
              <ei:vtnID>{VtnId}</ei:vtnID>
              {body}
            </oadr:oadrDistributeEvent>
            """;
        return Wrapped
            ? $"""
              <?xml version="1.0" encoding="UTF-8"?>
              <oadr:oadrPayload {ns}{schemaLocation}>
                <oadr:oadrSignedObject oadr:Id="signed-1">
                  {distribute}
                </oadr:oadrSignedObject>
              </oadr:oadrPayload>
              """
            : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + distribute;
    }

    public byte[] Bytes(params string[] events) => Encoding.UTF8.GetBytes(Xml(events));
}
