"""Each panel that tests one of the homework's claims names it, with the verdict the findings report measured, the
setting and pair it was measured on, and its mechanism line where it has one."""
from lab.claim_list import claim
from findings.results import load_results
from gradio.i18n import I18nData
from ui.strings import text, translation

_RESULTS = load_results()  # read once: the report is regenerated offline, not while the app serves
PICASSO_CLAIMS = ("C7", "C8", "C9")
"""Claims the toy Picasso faces measure: evidence about the toy pair, not about ImageNet models."""
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def claims_markdown(*ids: str, results: dict | None = _RESULTS) -> I18nData:
    """One line per claim: its id, the homework's claim in one sentence (lab.claim_list), where it was measured and
    the verdict of FINDINGS.md; in English and in Persian."""
    return translation("claims_" + "_".join(ids), *(claims_text(ids, lang, results) for lang in ("en", "fa")))


def claims_text(ids: tuple[str, ...], lang: str, results: dict | None) -> str:
    """The claims block in one language: heading, where the verdicts come from, one line per claim."""
    entries = {entry["id"]: entry for entry in (results or {}).get("claims", [])}
    lines = [text("claims_heading", lang)]
    if entries:
        lines.append(text("claims_source", lang, pair=results["pair"]))
    if entries and set(ids) & set(PICASSO_CLAIMS):
        lines.append(text("claims_picasso_toy", lang))
    items = [_line(id, entries.get(id), lang) for id in ids]
    return "\n\n".join(lines) + "\n\n" + "\n".join(items)


def _line(id: str, entry: dict | None, lang: str) -> str:
    said = claim(id).persian if lang == "fa" else claim(id).english
    if entry is None:
        return text("claim_unmeasured", lang, id=id, claim=said)
    verdict = text(f"verdict_{entry['verdict']}", lang)
    if entry.get("unstable"):
        verdict = text("claim_unstable", lang, verdict=verdict)
    mechanism = entry.get("mechanism")
    return text("claim_line", lang, id=id, claim=said, where=_where(entry.get("setting"), lang), verdict=verdict,
                mechanism=text("claim_mechanism", lang, verdict=text(f"verdict_{mechanism['verdict']}", lang))
                if mechanism else "")


def _where(setting: dict | None, lang: str) -> str:
    """Where a verdict was measured, translated by its kind (lab.claims.Setting)."""
    if not setting:
        return text("setting_measured", lang)
    runs = str(setting.get("runs", 0))
    return text(f"setting_{setting['kind']}", lang, pair=setting.get("pair", ""),
                runs=runs.translate(PERSIAN_DIGITS) if lang == "fa" else runs)
