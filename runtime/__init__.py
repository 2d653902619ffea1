"""How the process runs: memory settings for a long-running server, the device and the precision models compute at;
and the messages a user reads, by key, in English and Persian."""
