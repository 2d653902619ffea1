"""Hub weights through the standard Hugging Face cache, without ever waiting on an unreachable network."""
import json
import os
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from huggingface_hub import constants, get_hf_file_metadata, hf_hub_download, hf_hub_url, try_to_load_from_cache

from runtime.messages import MessageError

HUB_FILES = ("model.safetensors", "config.json")
PROBE_SECONDS = 1.5
ANSWER_SECONDS = 10.0
"""How long the Hub may take to describe a file before a download starts (huggingface_hub's own retries on a
silent server add up to minutes, with the pair's lock held)."""


class WeightsUnavailable(MessageError, RuntimeError):
    """The weights are neither cached nor downloadable now; the message (a key of runtime.messages) says how to
    fetch them."""


def fetch_command(pair_name: str) -> str:
    """The one command that downloads a pair's Hub weights into the cache."""
    return f"python -m models.fetch {pair_name}"


def cache_dir() -> Path:
    """The Hub cache, read from the environment at call time (HF_HUB_CACHE, then HF_HOME)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path(constants.HF_HUB_CACHE)


def offline() -> bool:
    """True when HF_HUB_OFFLINE asks for the cache only."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def cached_files(repo_id: str) -> dict[str, Path] | None:
    """Paths of the repo's weights and config in the cache, or None if any is missing."""
    found = {}
    for filename in HUB_FILES:
        path = try_to_load_from_cache(repo_id, filename, cache_dir=cache_dir())
        if not isinstance(path, str):
            return None
        found[filename] = Path(path)
    return found


def endpoint() -> str:
    """The Hub's address: HF_ENDPOINT, read at call time, else huggingface_hub's default."""
    return os.environ.get("HF_ENDPOINT") or constants.ENDPOINT


def hub_reachable(deadline: float = PROBE_SECONDS) -> bool:
    """Whether a TCP connection to the Hub opens within the deadline (DNS included)."""
    url = urlparse(endpoint())
    host, port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
    result = []

    def probe() -> None:
        try:
            socket.create_connection((host, port), timeout=deadline).close()
            result.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(deadline)
    return bool(result)


def hub_answers(repo_id: str, filename: str, deadline: float = ANSWER_SECONDS) -> bool:
    """Whether the Hub answers a request for the file's metadata within the deadline, with the metadata or an
    error (asked on a daemon thread, left behind if the server stays silent)."""
    url = hf_hub_url(repo_id, filename, endpoint=endpoint())

    def ask() -> None:
        try:
            get_hf_file_metadata(url, timeout=deadline)
        except Exception:  # an answer all the same: the download that follows reports it
            pass

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(deadline)
    return not thread.is_alive()


def fetch(repo_id: str, pair_name: str) -> dict[str, Path]:
    """Cached paths of a repo's files, downloading them only when the Hub answers quickly."""
    found = cached_files(repo_id)
    if found:
        return found
    command = fetch_command(pair_name)
    if offline():
        raise WeightsUnavailable("weights_offline", repo=repo_id, command=command)
    if not hub_reachable():
        raise WeightsUnavailable("weights_unreachable", repo=repo_id, command=command)
    if not hub_answers(repo_id, HUB_FILES[0], ANSWER_SECONDS):
        raise WeightsUnavailable("weights_slow", repo=repo_id, seconds=ANSWER_SECONDS, command=command)
    try:
        return {name: Path(hf_hub_download(repo_id, name, cache_dir=cache_dir(), etag_timeout=5))
                for name in HUB_FILES}
    except Exception as error:  # network, auth and HTTP errors all mean the same to the user
        raise WeightsUnavailable("weights_download_failed", repo=repo_id, error=type(error).__name__,
                                 command=command) from error


def read_config(path: Path) -> dict:
    """The timm config.json that travels with Hub weights."""
    return json.loads(path.read_text())
