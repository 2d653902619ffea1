"""Groups of ImageNet-1k classes (the domestic cats, the dog breeds, ...) taken from WordNet 3.0's hypernyms.

timm ships each class's WordNet id, lemmas and definition (timm/data/_info) but not the hierarchy above them, so the
groups come from Princeton WordNet 3.0 itself (the noun database `data.noun`, Debian package `wordnet-base`), the
version ImageNet's ids are offsets into. A class belongs to the most specific of GROUP_SYNSETS among its hypernyms,
or to none. The result ships as imagenet_class_groups.json; `python -m lab.class_groups /usr/share/wordnet/data.noun`
rebuilds it.
"""
import json
import sys
from functools import lru_cache
from pathlib import Path

import torch
from timm.data import ImageNetInfo

GROUPS_FILE = Path(__file__).with_name("imagenet_class_groups.json")
WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")

GROUP_SYNSETS = {
    "domestic cat": "n02121808", "big cat": "n02127808", "dog": "n02084071", "wolf": "n02114100",
    "fox": "n02118333", "bear": "n02131653", "monkey": "n02484322", "ape": "n02470325", "rodent": "n02329401",
    "ungulate": "n02370806", "bird": "n01503061", "fish": "n02512053", "shark": "n01482330",
    "snake": "n01726692", "lizard": "n01674464", "turtle": "n01662784", "frog": "n01639765",
    "spider": "n01772222", "butterfly": "n02274259", "insect": "n02159955",
}
"""WordNet 3.0 synsets chosen as groups: the animals whose faces a photo may show, at the level where ImageNet's
fine classes (tabby vs tiger cat, Norfolk vs Norwich terrier) stop mattering."""


def _hypernyms(data_noun: Path) -> dict[str, list[str]]:
    """Each noun synset's offset → the offsets of its hypernyms (ordinary and instance), from WordNet's data file."""
    links = {}
    for line in data_noun.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):  # the licence header
            continue
        fields = line.split()
        words = int(fields[3], 16)
        at = 4 + 2 * words
        pointers = fields[at + 1: at + 1 + 4 * int(fields[at])]
        links[fields[0]] = [pointers[i + 1] for i in range(0, len(pointers), 4) if pointers[i] in ("@", "@i")]
    return links


def _ancestors(offset: str, links: dict[str, list[str]]) -> list[str]:
    """Hypernyms nearest first (breadth first), each once."""
    found, frontier = [], [offset]
    while frontier:
        frontier = [h for o in frontier for h in links.get(o, []) if h not in found]
        frontier = list(dict.fromkeys(frontier))
        found += frontier
    return found


def build_groups(data_noun: Path = WORDNET_NOUNS) -> dict:
    """Every group of GROUP_SYNSETS with the ImageNet-1k ids (timm's order) whose nearest listed hypernym it is."""
    links = _hypernyms(data_noun)
    by_offset = {synset[1:]: name for name, synset in GROUP_SYNSETS.items()}
    groups = {name: [] for name in GROUP_SYNSETS}
    for wnid in ImageNetInfo().label_names():
        nearest = next((by_offset[a] for a in _ancestors(wnid[1:], links) if a in by_offset), None)
        if nearest is not None:
            groups[nearest].append(wnid)
    return {"source": "Princeton WordNet 3.0 (data.noun, Debian wordnet-base): hypernyms of timm's ImageNet-1k ids",
            "groups": {name: {"synset": GROUP_SYNSETS[name], "classes": classes} for name, classes in groups.items()}}


@lru_cache(maxsize=1)
def imagenet_groups() -> dict[str, list[int]]:
    """The shipped groups as group name → class indices (ImageNet-1k order, as timm and the Hub pairs use)."""
    index = {wnid: i for i, wnid in enumerate(ImageNetInfo().label_names())}
    groups = json.loads(GROUPS_FILE.read_text())["groups"]
    return {name: [index[wnid] for wnid in group["classes"]] for name, group in groups.items()}


def group_of(class_index: int) -> tuple[str, list[int]] | None:
    """The ImageNet-1k class's group (name, member indices), or None if it is in none."""
    return next(((name, members) for name, members in imagenet_groups().items() if class_index in members), None)


def group_probability(probs: torch.Tensor, class_index: int) -> tuple[str, torch.Tensor] | None:
    """The group of an ImageNet-1k class and the probabilities summed over its members (last dimension of `probs`,
    1000 classes), or None if the class is in no group."""
    group = group_of(class_index)
    if group is None:
        return None
    name, members = group
    return name, probs[..., members].sum(dim=-1)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else WORDNET_NOUNS
    GROUPS_FILE.write_text(json.dumps(build_groups(source), indent=1) + "\n")
    print(f"wrote {GROUPS_FILE}")
