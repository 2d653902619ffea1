"""Download a pair's Hub weights (or `swin-t`: the Theory tab's Swin-T) into the Hugging Face cache:
`python -m models.fetch PAIR [PAIR ...]`."""
import argparse

from huggingface_hub import hf_hub_download

from models.hub import HUB_FILES, cache_dir
from models.pairs import HUB_PAIRS
from models.swin import SWIN_REPO

REPOS = {name: pair.repos for name, pair in HUB_PAIRS.items()} | {"swin-t": (SWIN_REPO,)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pairs", nargs="+", choices=sorted(REPOS), help="pair names, or swin-t")
    for name in parser.parse_args().pairs:
        for repo_id in REPOS[name]:
            for filename in HUB_FILES:
                path = hf_hub_download(repo_id, filename, cache_dir=cache_dir())
                print(f"{repo_id}/{filename} -> {path}")


if __name__ == "__main__":
    main()
