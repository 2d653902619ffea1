"""Raw-HTTP helpers for the reliability tests, which drive the real app (harness.app_server.running_app).

Test modules set GRADIO_TEMP_DIR to a folder of their own before building an app, so closing their apps never deletes
files that another test process serves from the shared default folder.
"""
import contextlib
import json
import re
from pathlib import Path

import gradio as gr
import httpx
import pytest
from gradio_client import Client
from gradio_client.utils import StatusUpdate


ABSOLUTE_PATH = re.compile(r"(?<![\w.])/(?:[\w.-]+/)*[\w.-]+")
"""An absolute filesystem path such as /tmp/x or /root; relative names like weights/toy_vit.safetensors don't match."""


def same_predictions(a: dict, b: dict, tolerance: float = 1e-5) -> bool:
    """Two /predict answers name the same classes in the same order with the same scores."""
    return all([e["label"] for e in a[m]] == [e["label"] for e in b[m]]
               and [e["score"] for e in a[m]] == pytest.approx([e["score"] for e in b[m]], abs=tolerance)
               for m in ("cnn", "vit"))


def client_for(demo: gr.Blocks) -> Client:
    """A gradio_client Client on the running app."""
    return Client(demo.local_url, verbose=False)


def raw_call(demo: gr.Blocks, api_name: str, data: list, session: str | None = None,
             http: httpx.Client | None = None) -> tuple[str, object]:
    """POST `data` to /gradio_api/call/<api_name> as-is (no client-side uploads); return (event, payload).

    Without `session`, Gradio opens a new session for the call, as it does for each new visitor.
    """
    base = demo.local_url.rstrip("/")
    with contextlib.ExitStack() as stack:
        http = http or stack.enter_context(httpx.Client(timeout=120))
        posted = http.post(f"{base}/gradio_api/call/{api_name}", json={"data": data, "session_hash": session})
        posted.raise_for_status()
        answer = http.get(f"{base}/gradio_api/call/{api_name}/{posted.json()['event_id']}").text
    events = re.findall(r"^event: (\w+)\ndata: (.*)$", answer, flags=re.MULTILINE)
    assert events, answer
    event, payload = events[-1]
    return event, json.loads(payload)


def upload(demo: gr.Blocks, path: Path, http: httpx.Client | None = None) -> dict:
    """Upload a file as the browser does; return the FileData that names it on the server."""
    with contextlib.ExitStack() as stack:
        http = http or stack.enter_context(httpx.Client(timeout=120))
        answer = http.post(f"{demo.local_url.rstrip('/')}/gradio_api/upload",
                           files=[("files", (path.name, path.read_bytes()))])
    answer.raise_for_status()
    return {"path": answer.json()[0], "meta": {"_type": "gradio.FileData"}}


def logged_messages(job) -> list[tuple[str, str]]:
    """(message, level) of every gr.Info/gr.Warning a finished gradio_client Job received."""
    updates = job.communicator.updates
    messages = []
    while not updates.empty():
        update = updates.get_nowait()
        if isinstance(update, StatusUpdate) and update.log:
            messages.append(update.log)
    return messages
