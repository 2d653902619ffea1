"""The real app for the reliability tests, launched in-process (optionally with a smaller queue), and raw-HTTP helpers.

Test modules set GRADIO_TEMP_DIR to a folder of their own before building an app, so closing their apps never deletes
files that another test process serves from the shared default folder.
"""
import contextlib
import json
import re
from collections.abc import Iterator

import gradio as gr
import httpx
from gradio_client import Client
from gradio_client.utils import StatusUpdate

from tests.app_server import free_port

ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[\w.-]+/)*[\w.-]+")
"""An absolute filesystem path such as /tmp/x or /root; relative names like weights/toy_vit.safetensors don't match."""


@contextlib.contextmanager
def serving(pair: str = "toy", queue_size: int | None = None) -> Iterator[gr.Blocks]:
    """The app as `python app.py` builds and launches it (optionally with a smaller queue), on a free port."""
    import app

    demo = app.build_demo(pair) if queue_size is None else app.build_demo(pair, queue_size=queue_size)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(), quiet=True,
                **app.launch_options())
    try:
        yield demo
    finally:
        demo.close()


def client_for(demo: gr.Blocks) -> Client:
    """A gradio_client Client on the running app."""
    return Client(demo.local_url, verbose=False)


def raw_call(demo: gr.Blocks, api_name: str, data: list, timeout: float = 60.0) -> tuple[str, object]:
    """POST `data` to /gradio_api/call/<api_name> as-is (no client-side uploads) and return (event, payload)."""
    base = demo.local_url.rstrip("/")
    with httpx.Client(timeout=timeout) as http:
        posted = http.post(f"{base}/gradio_api/call/{api_name}", json={"data": data})
        posted.raise_for_status()
        answer = http.get(f"{base}/gradio_api/call/{api_name}/{posted.json()['event_id']}").text
    events = re.findall(r"^event: (\w+)\ndata: (.*)$", answer, flags=re.MULTILINE)
    assert events, answer
    event, payload = events[-1]
    return event, json.loads(payload)


def logged_messages(job) -> list[tuple[str, str]]:
    """(message, level) of every gr.Info/gr.Warning a finished gradio_client Job received."""
    updates = job.communicator.updates
    messages = []
    while not updates.empty():
        update = updates.get_nowait()
        if isinstance(update, StatusUpdate) and update.log:
            messages.append(update.log)
    return messages
