"""FINDINGS.md's "On real photos": measured with the Hub pairs found in the cache, else how to produce it."""
import pytest

import models.pairs
from findings.photos import cached_hub_pairs, measure_photos, photos_section

PHOTOS = ("photo_cat_chelsea.jpg", "photo_grace_hopper.jpg", "photo_astronaut_eileen_collins.jpg")


def test_without_cached_weights_the_section_says_how_to_produce_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    assert cached_hub_pairs() == []
    text = "\n".join(photos_section(measure_photos(cached_hub_pairs())))
    assert "## On real photos (anecdotes)" in text and "not a verdict" in text
    for pair in ("resnet50-vs-deit-small", "resnet50-vs-vit-base"):
        assert f"`python -m models.fetch {pair}`" in text
    assert "| photo |" not in text


@pytest.mark.slow
def test_with_a_cached_pair_each_marked_photo_gets_a_row_per_model(hub_cache, monkeypatch):
    monkeypatch.setattr(models.pairs, "_loaded", {})
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert cached_hub_pairs() == ["resnet50-vs-deit-small"]  # the test cache holds only this pair
    measured = measure_photos(cached_hub_pairs())
    lines = photos_section(measured)
    rows = [line for line in lines if line.startswith("| photo_")]
    assert [row.split(" | ")[0][2:] for row in rows] == [photo for photo in PHOTOS for _ in range(2)]
    assert all(row.count("|") == 10 for row in rows)  # photo, model, class, six variants
    first = measured["resnet50-vs-deit-small"][PHOTOS[0]]
    clean = first.variants[0].cnn
    assert rows[0].split(" | ")[3] == f"{clean.p_target:.2f}" + (
        f" / {clean.p_group:.2f}" if first.groups["cnn"] else "")
    assert "`python -m models.fetch resnet50-vs-vit-base`" in "\n".join(lines)
