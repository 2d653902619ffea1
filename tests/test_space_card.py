"""The Space's card (README.md's front matter) against the code: the Hub repos the app loads, the files its loader
reads, the pinned Gradio."""
import re
from pathlib import Path

from huggingface_hub.repocard import metadata_load

from models.hub import HUB_FILES
from models.pairs import HUB_PAIRS
from models.swin import SWIN_REPO

ROOT = Path(__file__).resolve().parent.parent
CARD = metadata_load(ROOT / "README.md")
HUB_REPOS = {repo for pair in HUB_PAIRS.values() for repo in pair.repos} | {SWIN_REPO}


def test_the_card_links_every_hub_repo_the_app_loads():
    assert sorted(CARD["models"]) == sorted(HUB_REPOS)


def test_the_space_preloads_exactly_the_files_the_loader_reads():
    preloaded = {}
    for entry in CARD["preload_from_hub"]:
        repo, files = entry.split()
        preloaded[repo] = files.split(",")
    assert set(preloaded) == HUB_REPOS
    assert all(sorted(files) == sorted(HUB_FILES) for files in preloaded.values())


def test_the_sdk_version_is_the_pinned_gradio():
    pins = re.findall(r"^gradio(?:\[[\w,]+\])?==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert CARD["sdk"] == "gradio" and pins == [CARD["sdk_version"]]


def test_the_card_describes_the_space_within_the_hubs_limits():
    assert 0 < len(CARD["short_description"]) <= 60
    assert {"vision-transformer", "cnn", "explainability", "grad-cam", "attention-rollout", "invariance",
            "education"} <= set(CARD["tags"])
    assert (ROOT / CARD["app_file"]).exists()
