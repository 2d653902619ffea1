"""Groups of ImageNet-1k classes from WordNet 3.0's hypernyms (timm ships the ids, not the hierarchy)."""
import json

import torch
from timm.data import ImageNetInfo

from lab.class_groups import GROUPS_FILE, WORDNET_NOUNS, build_groups, group_of, group_probability, imagenet_groups
from tests.ci import missing_tool


def names(indices: list[int]) -> list[str]:
    descriptions = ImageNetInfo().label_descriptions()
    return [descriptions[i].split(",")[0] for i in indices]


def test_the_domestic_cats_and_the_dogs_are_the_groups_imagenet_is_known_for():
    groups = imagenet_groups()
    assert names(groups["domestic cat"]) == ["tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"]
    assert groups["dog"] == list(range(151, 269))  # the 118 dog breeds
    assert "lion" in names(groups["big cat"]) and "tabby" not in names(groups["big cat"])


def test_each_class_is_in_at_most_one_group_and_every_member_is_an_imagenet_class():
    members = [i for group in imagenet_groups().values() for i in group]
    assert len(members) == len(set(members))
    assert all(0 <= i < 1000 for i in members)
    assert group_of(409) is None  # analog clock: no animal group


def test_the_group_probability_is_the_sum_of_its_members_probabilities():
    probs = torch.softmax(torch.randn(3, 1000, generator=torch.Generator().manual_seed(0)), dim=-1)
    name, summed = group_probability(probs, 282)  # tiger cat
    assert name == "domestic cat"
    torch.testing.assert_close(summed, probs[:, 281] + probs[:, 282] + probs[:, 283] + probs[:, 284] + probs[:, 285])
    assert group_probability(probs, 409) is None


def test_the_shipped_groups_are_what_wordnet_gives():
    if not WORDNET_NOUNS.exists():
        missing_tool(f"no WordNet 3.0 at {WORDNET_NOUNS} (Debian wordnet-base, which `bash .ci/run` installs)")
    assert build_groups(WORDNET_NOUNS) == json.loads(GROUPS_FILE.read_text())
