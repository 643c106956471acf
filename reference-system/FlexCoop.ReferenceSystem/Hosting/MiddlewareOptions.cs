namespace FlexCoop.ReferenceSystem.Hosting;

/// <summary>How a middleware node runs (<c>flexcoop serve</c>). Immutable; validated once at start.</summary>
public sealed record MiddlewareOptions
{
    /// <summary>Where the node keeps its files: the SQLite databases (unless <see cref="PostgresConnectionString"/>), <c>ca.crt</c>, demo secrets.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where to listen: <c>https://IP:PORT</c> (port 0 lets the OS choose).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["https://127.0.0.1:0"];

    /// <summary>A PostgreSQL connection string: the store is shared with every node using the same database and <see cref="SchemaPrefix"/>.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>PostgreSQL connections this node may hold open (unless the connection string sets <c>Maximum Pool Size</c>).</summary>
    public int PostgresMaxConnections { get; init; } = 32;

    /// <summary>Prefix of the PostgreSQL schemas (and of the MQTT topics).</summary>
    public string SchemaPrefix { get; init; } = "flexcoop";

    /// <summary>An MQTT broker (<c>mqtt://HOST:PORT</c>) for the bus between nodes; in-process when null.</summary>
    public Uri? MqttUrl { get; init; }

    /// <summary>The poll period asked of VENs (<c>oadrRequestedOadrPollFreq</c>) and the TELEMETRY_STATUS granularity.</summary>
    public TimeSpan PollPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A DER not heard from within this many poll periods is timed out.</summary>
    public int TimeoutPolls { get; init; } = 3;

    /// <summary>Create the demo accounts and clients and write their secrets to <see cref="DataDirectory"/>.</summary>
    public bool Demo { get; init; }

    /// <summary>Validity of the client certificates enrolment issues.</summary>
    public TimeSpan ClientCertificateValidity { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Lifetime of access tokens.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>This node's name on the bus; generated when null.</summary>
    public string? NodeId { get; init; }

    /// <summary>When set, received OpenADR messages are also validated against the XSDs in this directory.</summary>
    public string? SchemaDirectory { get; init; }

    /// <summary>
    /// SQLite only: flush every commit to disk (<c>synchronous=FULL</c>, default), or let WAL mode
    /// flush at checkpoints (<c>NORMAL</c>: survives a killed process, may lose the last commits on a
    /// power loss; about ten times the commits a second, for thousands of homes on one node).
    /// </summary>
    public bool SqliteSynchronousFull { get; init; } = true;

    /// <summary>How long the VTN's report readings are kept (age, rows per rID, purge interval).</summary>
    public ReadingsRetentionOptions ReadingsRetention { get; init; } = new();

    /// <summary>Throws <see cref="ReferenceConfigurationException"/> naming the first problem.</summary>
    public MiddlewareOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ReferenceConfigurationException("a data directory is needed");
        if (Urls.Count == 0) throw new ReferenceConfigurationException("no URL to listen on");
        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "https")
            {
                throw new ReferenceConfigurationException($"'{url}' is not an https:// URL: the middleware serves TLS only");
            }
        }
        if (PollPeriod < TimeSpan.FromSeconds(1) || PollPeriod > TimeSpan.FromHours(1)) throw new ReferenceConfigurationException("the poll period is between 1 s and 1 h");
        if (TimeoutPolls is < 1 or > 1000) throw new ReferenceConfigurationException("--timeout-polls is between 1 and 1000");
        if (MqttUrl is { } mqtt && mqtt.Scheme != "mqtt") throw new ReferenceConfigurationException($"'{mqtt}' is not an mqtt://HOST:PORT URL");
        if (MqttUrl is not null && PostgresConnectionString is null)
        {
            throw new ReferenceConfigurationException("several nodes share one store: --mqtt needs --postgres");
        }
        ArgumentNullException.ThrowIfNull(ReadingsRetention);
        ReadingsRetention.Validate();
        return this;
    }
}
