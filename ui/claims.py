"""Each panel that tests one of the homework's claims names it, with the verdict the findings report measured."""
from lab.claim_list import claim
from findings.results import load_results, verdicts
from gradio.i18n import I18nData
from ui.strings import text, translation

_VERDICTS = verdicts(load_results())  # read once: the report is regenerated offline, not while the app serves


def claims_markdown(*ids: str) -> I18nData:
    """One line per claim: its id, the homework's claim in one sentence, and the verdict of FINDINGS.md; in English
    and in Persian (the claim's Persian paraphrase of lab.claim_list)."""
    return translation("claims_" + "_".join(ids), *(_claims_text(ids, lang) for lang in ("en", "fa")))


def _claims_text(ids: tuple[str, ...], lang: str) -> str:
    lines = []
    for id in ids:
        verdict, said = _VERDICTS.get(id), claim(id).persian if lang == "fa" else claim(id).english
        lines.append(text("claim_line", lang, id=id, claim=said, verdict=text(f"verdict_{verdict}", lang))
                     if verdict else text("claim_unmeasured", lang, id=id, claim=said))
    return text("claims_heading", lang) + "\n\n" + "\n".join(lines)
