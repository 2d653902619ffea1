"""The claim list: exactly the homework's C1–C14 in order, each complete in both languages."""
import dataclasses
import re

import pytest

from lab.claim_list import CLAIMS, VERDICTS, Claim, claim
from lab.verdicts import RULES

PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]")
LATIN_LETTERS = re.compile("[A-Za-z]")


def test_exactly_c1_to_c14_in_order():
    assert [c.id for c in CLAIMS] == [f"C{i}" for i in range(1, 15)]


@pytest.mark.parametrize("item", CLAIMS, ids=lambda c: c.id)
def test_every_field_is_written(item):
    for field in dataclasses.fields(Claim):
        assert getattr(item, field.name).strip(), f"{item.id}.{field.name} is empty"
    assert len(PERSIAN_LETTERS.findall(item.persian)) > 20
    assert not PERSIAN_LETTERS.search(item.english)
    assert item.where.startswith(("Part ", "The experiment"))


@pytest.mark.parametrize("item", CLAIMS, ids=lambda c: c.id)
def test_persian_is_mostly_persian(item):
    # Latin letters are allowed for formulas and terms (W-MSA, positional embedding), not for the sentence itself
    assert len(PERSIAN_LETTERS.findall(item.persian)) > len(LATIN_LETTERS.findall(item.persian))


def test_claims_are_frozen_and_found_by_id():
    assert claim("C8") is CLAIMS[7]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CLAIMS[0].english = "changed"
    with pytest.raises(KeyError, match="C15"):
        claim("C15")


def test_verdicts_and_a_rule_for_every_claim():
    assert VERDICTS == ("holds", "partly", "does not hold", "not testable here")
    assert list(RULES) == [c.id for c in CLAIMS]


def test_c8_states_the_homeworks_direction():
    # the homework says the CNN will NOT call its picture a face; an earlier paraphrase had it backwards
    c8 = claim("C8")
    assert "will not label it a face" in c8.english and "rotated" in c8.english
    assert "نمی‌زند" in c8.persian
    assert "98%" in c8.rule and "contradicts" in c8.rule
