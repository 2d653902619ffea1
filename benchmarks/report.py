"""BENCHMARKS.md: the machine, a table of every target, then each section's details and profiles."""
import datetime

from benchmarks.targets import Section

NOTES_HEADING = "## Notes"


def targets_table(sections: list[Section]) -> str:
    rows = ["| target | what | limit | measured | absolute | met |", "|---|---|---:|---:|---|:---:|"]
    for section in sections:
        for t in section.targets:
            rows.append(f"| {t.key} | {t.what} | {t.relation} {t.show(t.limit)} | {t.show(t.measured)} | "
                        f"{t.detail} | {'yes' if t.met else '**no**'} |")
    return "\n".join(rows)


def render(sections: list[Section], machine: dict[str, str], command: str, quick: bool, notes: str) -> str:
    """The whole report as Markdown."""
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    mode = ("**Quick run** (`--quick`): few repeats, a short memory run; a smoke test of the command, not figures "
            "to quote.") if quick else "Full run."
    parts = [
        "# Benchmarks",
        "",
        f"Written by `{command}` on {when}. {mode} Regenerate it with `python benchmarks/run.py` on a quiet "
        "machine; every figure is a median of repeated runs, and every comparison is made in one process with "
        "its cases alternated, so the ratios hold even where absolute times drift.",
        "",
        "## Machine",
        "",
        *(f"- **{name}**: {value}" for name, value in machine.items()),
        "",
        "## Targets",
        "",
        targets_table(sections),
        "",
        "A target is met when its figure, rounded as shown, is at most its limit (at least, where the limit says ≥).",
    ]
    for section in sections:
        parts += ["", f"## {section.title}", "", section.details]
        if section.profile:
            parts += ["", "Profile of what missed its target:", "", "```text", section.profile, "```"]
    if notes:
        parts += ["", NOTES_HEADING, "", notes]
    return "\n".join(parts) + "\n"
