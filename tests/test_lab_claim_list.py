"""The claim list: the homework's claims in its order, each one record complete in both languages, with its rule
and its verdict function."""
import dataclasses
import re

import pytest

from lab.claim_list import CLAIMS, VERDICTS, Claim, claim
from lab.verdicts import HOMEWORK_GATE, MECHANISM_GATE, UNSTABLE

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
LATIN_LETTERS = re.compile("[A-Za-z]")


HOMEWORK_ORDER = ["C1", "C2", "C2b", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C10b", "C11", "C12", "C12b",
                  "C12c", "C13", "C14"]


def test_the_homeworks_claims_in_its_order():
    assert [c.id for c in CLAIMS] == HOMEWORK_ORDER


@pytest.mark.parametrize("item", CLAIMS, ids=lambda c: c.id)
def test_every_field_is_written(item):
    for field in dataclasses.fields(Claim):
        if field.name == "grade":
            assert callable(item.grade)
        elif field.name == "mechanism":
            assert bool(item.mechanism) == (item.id in ("C7", "C8", "C9")), item.id
        else:
            assert getattr(item, field.name).strip(), f"{item.id}.{field.name} is empty"
    assert len(PERSIAN_LETTERS.findall(item.persian)) > 20
    assert not PERSIAN_LETTERS.search(item.english)
    assert item.where.startswith(("Part ", "The experiment"))


@pytest.mark.parametrize("item", CLAIMS, ids=lambda c: c.id)
def test_persian_is_mostly_persian(item):
    # Latin letters are allowed for formulas and terms (W-MSA, positional embedding), not for the sentence itself
    assert len(PERSIAN_LETTERS.findall(item.persian)) > len(LATIN_LETTERS.findall(item.persian))


def test_claims_are_frozen_and_found_by_id():
    assert claim("C8") is CLAIMS[8] and claim("C2b") is CLAIMS[2]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CLAIMS[0].english = "changed"
    with pytest.raises(KeyError, match="C15"):
        claim("C15")


def test_verdicts_and_a_verdict_function_for_every_claim():
    assert VERDICTS == ("holds", "partly", "does not hold", "not testable here")
    assert len({c.grade for c in CLAIMS}) == len(CLAIMS)
    assert claim("C5").grade.__name__ == "c5_rotation" and claim("C12c").grade.__name__ == "c12c_residual"


def test_c8_states_the_homeworks_direction():
    # the homework says the CNN will NOT call its picture a face; an earlier paraphrase had it backwards
    c8 = claim("C8")
    assert "will not label it a face" in c8.english and "rotated" in c8.english
    assert "نمی‌زند" in c8.persian
    assert "98%" in c8.rule and "contradicts" in c8.rule


def test_paraphrases_no_stronger_than_the_homework():
    # checked against the Persian: «ممکن است حاشیه تصویر اطلاعات خاصی در بر نداشته باشد», «سعی می کند یاد بگیرد»
    assert "may carry no particular information" in claim("C2").english and "ممکن است" in claim("C2").persian
    assert "tries to learn" in claim("C9").english and "سعی می‌کند" in claim("C9").persian
    assert "learns how" not in claim("C9").english
    assert "implied, not stated" in claim("C7").english and "implied" in claim("C7").where
    assert "reconstruction" in claim("C10").english and "garbled" in claim("C10").where
    assert "18 000" in claim("C10").english and "1 5000" in claim("C10").english


@pytest.mark.parametrize("id", ["C2b", "C10b", "C12b"])
def test_claims_this_project_cannot_test_say_why(id):
    verdict, why = claim(id).grade()
    assert verdict == "not testable here" and len(why) > 80
    assert "Not testable here" in claim(id).rule


def test_swins_effectiveness_quotes_the_papers_numbers_as_the_papers():
    _, why = claim("C12b").grade()
    assert "Liu et al. 2021" in why and "87.3" in why and "58.7 box AP" in why and "51.1 mask AP" in why
    assert "53.5 mIoU" in why and "not measured here" in why


def test_behaviour_rules_state_their_gates_and_runs():
    for id in ("C5", "C6", "C7", "C8", "C9"):
        assert f"at least {HOMEWORK_GATE:.0%}" in claim(id).rule and "point estimate" in claim(id).rule
        assert UNSTABLE in claim(id).rule and "toy pair" in claim(id).rule
    for id in ("C7", "C8", "C9"):
        assert f"{MECHANISM_GATE:.0%} on face vs jumbled face" in claim(id).mechanism
    assert "vit_no_position" in claim("C9").mechanism and "cnn_flattened" in claim("C7").mechanism
