"""How the process runs: memory settings for a long-running server."""
