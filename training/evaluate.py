"""Accuracy of the bundled toy pair on held-out test images: `python -m training.evaluate [--count N]`."""
import argparse

import torch

from models import load_pair
from models.pairs import Pair
from toyworld.data import split_tensors
from training.loop import accuracy
from training.recipes import TEST_SIZE


def evaluate(pair: Pair, count: int) -> dict[str, float]:
    """Top-1 accuracy of both models on the first `count` test-split images (seeds disjoint from training)."""
    images01, labels = split_tensors("test", count)
    return {"cnn": accuracy(pair.cnn, images01, labels), "vit": accuracy(pair.vit, images01, labels)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=TEST_SIZE, help="number of test images")
    args = parser.parse_args()
    torch.manual_seed(0)
    scores = evaluate(load_pair("toy"), args.count)
    for model, score in scores.items():
        print(f"{model}: {score:.2%} top-1 on {args.count} held-out toy-world test images")


if __name__ == "__main__":
    main()
