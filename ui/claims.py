"""Each panel that tests one of the homework's claims names it, with the verdict the findings report measured."""
from lab.claim_list import claim
from findings.results import load_results, verdicts

_VERDICTS = verdicts(load_results())  # read once: the report is regenerated offline, not while the app serves


def claims_markdown(*ids: str) -> str:
    """One line per claim: its id, the homework's claim in one sentence, and the verdict of FINDINGS.md."""
    lines = []
    for id in ids:
        verdict = _VERDICTS.get(id)
        measured = f"measured: **{verdict}**" if verdict else "not measured yet: run `python -m findings.report`"
        lines.append(f"- **{id}** — {claim(id).english} *({measured}; Findings tab, section {id})*")
    return "**The homework's claims tested here**\n\n" + "\n".join(lines)
