"""The findings report (`python -m findings.report`) and the figures it writes beside FINDINGS.md."""
