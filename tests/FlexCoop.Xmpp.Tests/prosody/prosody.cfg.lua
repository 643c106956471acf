-- Prosody configuration for the FlexCoop.Xmpp integration tests.
-- scripts/ci/prosody.sh copies this file into its state folder and replaces the @...@
-- placeholders (port, folders, certificate paths). Loopback only, no server-to-server.

run_as_root = true
pidfile = "@STATE@/prosody.pid"
data_path = "@STATE@/data"
certificates = "@STATE@/certs"
log = { debug = "@STATE@/prosody.log" }

interfaces = { "127.0.0.1" }
c2s_ports = { @PORT@ }
c2s_direct_tls_ports = { }
s2s_ports = { }
admin_interfaces = { }

-- Small stanzas and acks interleave; with Nagle on, an answer waits for the peer's delayed ACK.
network_settings = { nagle = false }

plugin_paths = { "/usr/lib/prosody/modules" }

modules_enabled = {
    "roster";       -- RFC 6121 rosters (needed by presence handling)
    "saslauth";     -- SASL (SCRAM-SHA-1, PLAIN; EXTERNAL on the ccert host)
    "tls";          -- STARTTLS
    "disco";        -- XEP-0030
    "ping";         -- XEP-0199
    "smacks";       -- XEP-0198 stream management with resumption
    "offline";      -- messages to an absent account are stored
}
modules_disabled = { "s2s"; "http"; "admin_shell"; "admin_telnet" }

c2s_require_encryption = true
allow_unencrypted_plain_auth = false
authentication = "internal_hashed"
storage = "internal"

-- Keep a broken session resumable long enough for the tests.
smacks_hibernation_time = 300

ssl = {
    certificate = "@STATE@/server.crt";
    key = "@STATE@/server.key";
    cafile = "@STATE@/ca.crt";
    protocol = "tlsv1_2+";
    -- Ask for (but do not require) a client certificate: SASL EXTERNAL uses it.
    verify = { "peer"; "client_once" };
}

VirtualHost "localhost"

-- Accounts authenticated by their client certificate (SASL EXTERNAL, mod_auth_ccert from
-- Debian's prosody-modules): the certificate's xmppAddr names the account.
VirtualHost "external.localhost"
    authentication = "ccert"
    certificate_match = "xmppaddr"
