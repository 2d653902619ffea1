"""Tests that need a tool CI installs (`bash .ci/run`: Chromium, WordNet) skip without it on a developer's machine
but fail under CI (CI=true), so a green CI run always includes them."""
import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing_tool(reason: str) -> None:
    """Skip with the reason; under CI, fail with it."""
    if in_ci():
        pytest.fail(f"{reason}; under CI it must be there (`bash .ci/run` installs it)", pytrace=False)
    pytest.skip(reason)
