"""B4 and B5: `python app.py` as a user starts it: time until it serves, and its resident memory under load."""
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
from gradio_client import Client, handle_file

from benchmarks.targets import Section, Target
from benchmarks.timing import alternate
from harness.app_server import free_port
from toyworld import LABELS, render
from ui.examples import EXAMPLES_DIR
from ui.requests import TOP_CLASS

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = "import gradio, torch, timm"
STARTUP_SECONDS = 300


def child_environment(threads: int, temp: str) -> dict[str, str]:
    """This process's environment (Hub cache settings included) with the thread count and Gradio's files fixed."""
    return os.environ | {"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads), "GRADIO_TEMP_DIR": temp,
                         "PYTHONUNBUFFERED": "1"}


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    """Poll `url` until it answers 200; fail with the app's log if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.02)
    raise RuntimeError(f"the app did not serve {url} within {STARTUP_SECONDS} s:\n{log.read_text()[-2000:]}")


@contextlib.contextmanager
def serving(pair: str, env: dict[str, str]) -> Iterator[tuple[psutil.Process, str]]:
    """`python app.py --pair PAIR` on a free port, until the block ends: (its process, its URL)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        process = subprocess.Popen([sys.executable, "app.py", "--pair", pair, "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_serving(process, f"{url}/config", Path(log.name))
            yield psutil.Process(process.pid), url
        finally:
            _stopped(process)


def time_imports(env: dict[str, str]) -> float:
    """Seconds until a fresh interpreter running IMPORTS says they are done (stopping it is not counted)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", f"{IMPORTS}; print('imported', flush=True)"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, text=True)
    try:
        if process.stdout.readline().strip() != "imported":
            raise RuntimeError(f"`{IMPORTS}` failed with {process.wait()}")
        return time.perf_counter() - start
    finally:
        process.stdout.close()
        _stopped(process)


def time_app_start(pair: str, env: dict[str, str]) -> float:
    """Seconds from spawning `python app.py --pair PAIR` until it serves (stopping it is not counted)."""
    start = time.perf_counter()
    with serving(pair, env):
        return time.perf_counter() - start


def _stopped(process: subprocess.Popen) -> None:
    """Stop a child started here, by its own handle: politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure_cold_start(env: dict[str, str], repeats: int, thorough: bool = True) -> Section:
    """B4: fresh `python app.py --pair toy` until /config answers, against fresh `import gradio, torch, timm`."""
    samples = alternate({"app": lambda: time_app_start("toy", env), "imports": lambda: time_imports(env)}, repeats,
                        warmup=0)
    ratio = samples.ratio("app", "imports")
    target = Target("B4", "cold start of `python app.py` (toy pair) / bare imports", ratio,
                    f"{samples.median('app'):.2f} s vs {samples.median('imports'):.2f} s")
    details = "\n".join([
        "Two fresh subprocesses, alternated: `python app.py --pair toy --port P`, timed from spawning it until "
        f"`GET /config` answers 200 (polled every 20 ms), and `python -c \"{IMPORTS}; print('imported')\"`, timed "
        "until it prints; neither clock includes stopping the interpreter. The files are in the page cache (this "
        f"process imported them already). {repeats} rounds; medians; the ratio is the median of each round's ratio.",
        "",
        "| run | app serves (s) | imports (s) |",
        "|---|---:|---:|",
        *(f"| {i + 1} | {a:.2f} | {b:.2f} |" for i, (a, b) in
          enumerate(zip(samples.seconds["app"], samples.seconds["imports"]))),
        f"| **median** | **{samples.median('app'):.2f}** | **{samples.median('imports'):.2f}** |",
    ])
    section = Section("B4. Cold start", [target], details)
    if thorough and not target.met:
        section.profile = startup_phases(env)
    return section


STARTUP_PHASES = """
import time
start = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import gradio, torch, timm
mark("import gradio, torch, timm")
from ui.demo import build_demo, launch_options
mark("import ui.demo (ui, explain, lab, models, matplotlib, torchvision)")
demo = build_demo("toy")
mark("build_demo('toy') (loads and verifies the toy weights, builds the Blocks)")
from harness.app_server import free_port
demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(), quiet=True,
            **launch_options())
mark("demo.launch(...) until it returns")
demo.close()
previous = start
for name, at in marks:
    print(f"{at - previous:7.2f} s  {name}")
    previous = at
"""


def startup_phases(env: dict[str, str]) -> str:
    """Where a cold start's time goes, phase by phase, in a fresh interpreter (its stdout)."""
    result = subprocess.run([sys.executable, "-c", STARTUP_PHASES], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)
    return "Phases of a cold start (fresh interpreter, seconds each):\n" + result.stdout.strip()


def request_images(folder: Path, count: int) -> list[Path]:
    """`count` different pictures: the example photos, then toy-world renders of every class and many seeds."""
    photos = sorted(EXAMPLES_DIR.glob("photo_*.jpg"))
    toys = []
    for seed in range(max(0, count - len(photos))):
        path = folder / f"toy_{seed}.png"
        render(LABELS[seed % len(LABELS)], seed).save(path)
        toys.append(path)
    return (photos + toys)[:count]


SMALL_HEAP = {"MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": str(32 * 2 ** 20)}
"""glibc settings tried against B5 (set in the environment, they replace the app's own, see runtime/memory.py): two
arenas, and free memory above 32 MB handed back to the kernel; setting a trim threshold also fixes the mmap
threshold at its 128 kB default, so every large tensor is mmapped and faulted in anew."""


def _rss_under_load(pair: str, env: dict[str, str], checkpoints: list[int],
                    images: list[Path]) -> tuple[dict[int, int], list[tuple[str, int]], float]:
    """RSS at start (once the first view, which every page load fetches, is ready) and at each checkpoint of
    alternating /predict and /compare requests, the top mappings at the end, and the median seconds of a /predict
    request (each on a new image, so both models run; the /compare that follows on the same image is served from
    the analysis cache), as the client sees it."""
    with serving(pair, env) as (process, url):
        client = Client(url, verbose=False, download_files=False, analytics_enabled=False)
        client.predict(api_name="/first_view")  # start-up's last step, computed on a thread after the server starts
        time.sleep(1)  # its thread then hands back the memory it freed
        rss = {0: process.memory_info().rss}
        predict_seconds = []
        for request in range(1, checkpoints[-1] + 1):
            image = handle_file(str(images[(request - 1) // 2 % len(images)]))
            if request % 2:
                started = time.perf_counter()
                client.predict(image, pair, 5, api_name="/predict")
                predict_seconds.append(time.perf_counter() - started)
            else:
                client.predict(image, pair, "mean", 0.9, TOP_CLASS, api_name="/compare")
            if request in checkpoints:
                rss[request] = process.memory_info().rss
        mappings: dict[str, int] = {}
        for mapping in process.memory_maps(grouped=True):
            name = Path(mapping.path).name or mapping.path or "[anonymous]"
            mappings[name] = mappings.get(name, 0) + mapping.rss
    return rss, sorted(mappings.items(), key=lambda item: -item[1]), statistics.median(predict_seconds)


def imports_rss(env: dict[str, str]) -> int:
    """Resident bytes of a fresh interpreter that has only run IMPORTS."""
    script = f"{IMPORTS}, psutil; print(psutil.Process().memory_info().rss)"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=True)
    return int(result.stdout.split()[-1])


def _mb(rss: dict[int, int]) -> str:
    return " | ".join(f"{value / 1e6:.0f}" for value in rss.values())


def measure_memory(pair: str, env: dict[str, str], checkpoints: list[int], distinct_images: int = 60,
                   explain: bool = True) -> Section:
    """B5: resident memory of the served app after every checkpoint of alternating /predict and /compare calls.

    If a target is missed and `explain` is set, also measure what bare imports hold and rerun the first two
    checkpoints under SMALL_HEAP.
    """
    with tempfile.TemporaryDirectory(prefix="benchmark-images-") as folder:
        images = request_images(Path(folder), min(distinct_images, (checkpoints[-1] + 1) // 2))
        rss, mappings, seconds = _rss_under_load(pair, env, checkpoints, images)
        first, last = checkpoints[0], checkpoints[-1]
        growth = (rss[last] - rss[first]) / rss[first] * 100
        targets = [
            Target("B5", f"resident memory after {first} requests, {pair}", rss[first] / 1e6,
                   f"{rss[first] / 1e6:.0f} MB (at start: {rss[0] / 1e6:.0f} MB)", unit="MB"),
            Target("B5 flat", f"growth of resident memory from request {first} to {last}", growth,
                   f"{(rss[last] - rss[first]) / 1e6:+.0f} MB", unit="%"),
        ]
        tried, profile = [], ""
        if explain and not all(target.met for target in targets):
            small, _, small_seconds = _rss_under_load(pair, env | SMALL_HEAP, checkpoints[:2], images)
            settings = " ".join(f"{key}={value}" for key, value in SMALL_HEAP.items())
            tried = [f"| `{settings}` | {_mb(small)} |" + " |" * (len(rss) - len(small))
                     + f" {small_seconds * 1e3:.0f} |"]
            profile = "\n".join([
                f"A fresh interpreter after `{IMPORTS}` alone: {imports_rss(env) / 1e6:.0f} MB resident.",
                f"The served app after {last} requests, resident MB by mapping (largest first):",
                *(f"{size / 1e6:8.0f}  {name}" for name, size in mappings[:10]),
            ])
    details = "\n".join([
        f"`python app.py --pair {pair}` as a subprocess; {last} requests through `gradio_client`, alternating "
        f"`/predict` and `/compare` on the same image, then the next of {len(images)} different images (the "
        "example photos and toy-world renders), so every other request analyses an image that is not in the "
        "shared cache and the cache stays full. Resident set size of the server process (psutil), in MB "
        "(10⁶ bytes; *0* is once start-up is complete, its first view computed), and the median time of a "
        "`/predict` request as the client sees it (each on an image the app has not seen, so both models run; the "
        "`/compare` after it reuses that analysis). *Flat* "
        "means growing by at most 5 % from the first checkpoint to the last. The first row is the app as shipped "
        "(its malloc settings: `runtime/memory.py`); further rows set glibc's variables instead.",
        "",
        "| malloc settings, requests → | " + " | ".join(str(n) for n in rss) + " | /predict (ms) |",
        "|---|" + "---:|" * (len(rss) + 1),
        f"| the app's | {_mb(rss)} | {seconds * 1e3:.0f} |",
        *tried,
    ])
    return Section("B5. Memory of the served app", targets, details, profile)
