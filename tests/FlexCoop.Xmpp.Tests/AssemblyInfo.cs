// The Prosody tests share one server, its accounts and (in ProsodyRestartTests) its lifetime:
// run them one at a time so that no test sees another's messages or restart.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
