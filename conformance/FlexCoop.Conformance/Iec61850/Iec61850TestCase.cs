using System.Diagnostics;
using FlexCoop.Iec61850.Mms;

namespace FlexCoop.Conformance.Iec61850;

/// <summary>A case whose behaviour is a script over <see cref="Iec61850TestContext"/>; without a script it is <see cref="Iec61850Verdict.NotImplemented"/>.</summary>
internal sealed class ScriptedCase(string id, string group, string title, Func<Iec61850TestContext, CancellationToken, Task>? script, bool destructive = false) : IIec61850TestCase
{
    public string Id { get; } = id;
    public string Group { get; } = group;
    public string Title { get; } = title;

    /// <summary>Cases that may take the server down (malformed PDUs) run after all others.</summary>
    public bool Destructive { get; } = destructive;

    public bool Implemented => script is not null;

    public async Task<Iec61850CaseResult> RunAsync(Iec61850TestContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var watch = Stopwatch.StartNew();
        Iec61850Verdict verdict;
        string? message = null;
        if (script is null)
        {
            verdict = Iec61850Verdict.NotImplemented;
            message = "the script of this case is not written yet";
        }
        else
        {
            try
            {
                await script(context, cancellationToken).ConfigureAwait(false);
                var failed = context.Checks.FirstOrDefault(c => !c.Passed);
                verdict = failed is null ? Iec61850Verdict.Pass : Iec61850Verdict.Fail;
                message = failed?.Description;
                if (context.Checks.Count == 0)
                {
                    verdict = Iec61850Verdict.Inconclusive;
                    message = "the case made no check";
                }
            }
            catch (CaseNotApplicableException ex)
            {
                verdict = Iec61850Verdict.NotApplicable;
                message = ex.Message;
            }
            catch (CaseAbortedException ex)
            {
                verdict = Iec61850Verdict.Fail;
                message = ex.Message;
            }
            catch (Exception ex) when (ex is MmsException or TimeoutException or IOException)
            {
                verdict = Iec61850Verdict.Fail;
                message = $"unexpected {Describe(ex)}";
                context.Log(message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                verdict = Iec61850Verdict.Fail;
                message = "the server did not answer in time";
            }
        }
        return new Iec61850CaseResult
        {
            Id = Id,
            Group = Group,
            Title = Title,
            Verdict = verdict,
            Message = message,
            Checks = context.Checks.ToArray(),
            Timeline = context.Timeline.ToArray(),
            Duration = watch.Elapsed,
        };
    }

    private static string Describe(Exception ex) => ex switch
    {
        MmsServiceErrorException s => $"service error {s.Error}",
        MmsProtocolException p => $"protocol failure: {p.Message}",
        TimeoutException => "timeout: " + ex.Message,
        _ => ex.Message,
    };
}
