using FlexCoop.Conformance.Certification;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>A case of the catalogue: its <see cref="CertificationCase"/> (ID, group, title, the PIXIT entry it needs) and its script.</summary>
internal sealed record ScriptedCase(CertificationCase Case, Func<Iec61850TestContext, CancellationToken, Task> Script)
{
    public ScriptedCase(string id, string group, string title, Func<Iec61850TestContext, CancellationToken, Task> script, string? pixit = null)
        : this(new CertificationCase(id, title, group, pixit), script)
    {
    }
}
