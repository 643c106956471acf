using CsCheck;
using FlexCoop.ReferenceSystem.Contracts;

namespace FlexCoop.Osb.Tests;

public sealed class DerResourceIdRoundTripTests
{
    [Fact]
    public void Every_valid_resource_id_parses_back_to_itself()
    {
        var localName = Gen.Char["abcXYZ019-_"].Array[1, DerResourceId.MaxLocalNameLength].Select(c => new string(c));
        Gen.Select(Gen.Enum<DerKind>(), localName).Sample((kind, local) =>
        {
            var id = DerResourceId.Create(kind, local);
            return DerResourceId.TryParse(id.ToString(), out var parsed) && parsed == id;
        });
    }
}
