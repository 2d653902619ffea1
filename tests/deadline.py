"""Calls ended by a deadline: a test waits so long for an answer, then fails naming the call; no time is asserted."""
import threading
from typing import Callable, TypeVar

import pytest

T = TypeVar("T")


def answer_within(seconds: float, call: Callable[..., T], *args, **kwargs) -> T:
    """call(*args, **kwargs) on a daemon thread: its value, or the exception it raised, re-raised here.

    If it has not answered after `seconds` the test fails at once; the thread is left behind, and being a daemon
    it never keeps the test process alive.
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call(*args, **kwargs)
        except BaseException as error:  # handed to the caller as it is
            outcome["error"] = error

    name = getattr(call, "__qualname__", repr(call))
    worker = threading.Thread(target=run, name=f"deadline: {name}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"{name} had not answered after {seconds:g} s: it is waiting on something (the network?)",
                    pytrace=False)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
