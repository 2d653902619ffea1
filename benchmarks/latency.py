"""Absolute figures: each panel's latency (called directly and through the served app) and each model's
throughput as a share of the machine's float32 matmul peak."""
import io
from pathlib import Path

import torch
from gradio_client import Client, handle_file
from matplotlib.figure import Figure
from PIL import Image
from torch import nn

from benchmarks.targets import Section
from benchmarks.timing import alternate
from explain.analysis_cache import ANALYSIS_CACHE, analyse
from harness.app_server import running_app
from lab.theory import flop_breakdown
from models.pairs import Pair
from runtime.device import module_device
from ui import panels
from ui import explanations
from ui.requests import TOP_CLASS
from images.decode import load_image


def throughput(models: dict[str, tuple[nn.Module, int, nn.Module]], peak: float, repeats: int) -> Section:
    """Batch-1 inference latency of each (model, input side, model whose FLOPs are counted), alternated."""
    inputs = {name: torch.randn(1, 3, side, side, generator=torch.Generator().manual_seed(0)).to(module_device(model))
              for name, (model, side, _) in models.items()}
    flops = {name: sum(flop_breakdown(counted, side).values()) for name, (_, side, counted) in models.items()}
    with torch.inference_mode():
        samples = alternate({name: (lambda model=model, x=inputs[name]: model(x))
                             for name, (model, _, _) in models.items()}, repeats, warmup=2)
    rows = []
    for name in models:
        rate = flops[name] / samples.median(name) / 1e9
        rows.append(f"| {name} | {flops[name] / 1e9:.3f} | {samples.ms(name):.2f} | {rate:.1f} | {rate / peak:.0%} |")
    details = "\n".join([
        "Batch 1, `torch.inference_mode()`, no maps, random input; FLOPs counted by `lab.theory.flop_breakdown` "
        "(2 × multiply-accumulates of convolutions, linear layers and attention matmuls; timm's ViT is counted on "
        f"the seed ViT holding its weights). Share of the float32 matmul peak measured above ({peak:.0f} GFLOP/s). "
        f"{repeats} alternated rounds after 2 warm-up rounds; medians.",
        "",
        "| model | GFLOP per image | ms per image | GFLOP/s | share of peak |",
        "|---|---:|---:|---:|---:|",
        *rows,
    ])
    return Section("Throughput against the machine's peak", details=details)


def _direct_calls(pair: Pair, image: Path) -> dict[str, tuple]:
    """Panel name -> (call, untimed preparation), each panel called as ui/demo.py wires it."""
    path = str(image)

    def cached() -> None:
        analyse(pair, load_image(path))

    return {
        "compare (new image)": (lambda: explanations.compare(path, pair.name), ANALYSIS_CACHE.clear),
        "inside (analysis cached)": (lambda: panels.inside(path, pair.name, "layer1", 1), cached),
        "cls_attention (analysis cached)": (lambda: panels.cls_attention_map(path, pair.name, 1, 0), cached),
        "sweep_panel rotate": (lambda: panels.sweep_panel(path, pair.name, "rotate"), None),
        "picasso_panel": (lambda: panels.picasso_panel(pair.name, 0), None),
        "theory": (lambda: panels.theory(pair.name), None),
    }


def _served_calls(client: Client, pair: str, image: Path) -> dict[str, tuple]:
    """Panel name -> (request, untimed preparation) through gradio_client to the app served by this process."""
    path = str(image)

    def cached() -> None:
        client.predict(handle_file(path), pair, 5, api_name="/predict")

    return {
        "compare (new image)": (lambda: client.predict(handle_file(path), pair, "mean", 0.9, TOP_CLASS,
                                                       api_name="/compare"), ANALYSIS_CACHE.clear),
        "inside (analysis cached)": (lambda: client.predict(handle_file(path), pair, "layer1", 1,
                                                            api_name="/inside"), cached),
        "cls_attention (analysis cached)": (lambda: client.predict(handle_file(path), pair, 1, 0,
                                                                   api_name="/cls_attention"), cached),
        "sweep_panel rotate": (lambda: client.predict(handle_file(path), pair, "rotate", api_name="/sweep_panel"),
                               None),
        "picasso_panel": (lambda: client.predict(pair, 0, api_name="/picasso_panel"), None),
        "theory": (lambda: client.predict(pair, api_name="/theory"), None),
    }


def encoded(outputs) -> None:
    """Encode a panel's pictures as the app's Gradio components do before sending them (WebP)."""
    for output in outputs if isinstance(outputs, tuple) else (outputs,):
        if isinstance(output, Figure):
            output.savefig(io.BytesIO(), format="webp")
        elif isinstance(output, Image.Image):
            output.save(io.BytesIO(), format="webp")


def _with_encoding(calls: dict[str, tuple]) -> dict[str, tuple]:
    return {name: (lambda call=call: encoded(call()), prepare) for name, (call, prepare) in calls.items()}


def _medians(calls: dict[str, tuple], repeats: int, warmup: int) -> dict[str, float]:
    return {name: alternate({name: call}, repeats, warmup, before=prepare).ms(name)
            for name, (call, prepare) in calls.items()}


def panels_latency(pairs: dict[str, tuple[Pair, Path]], repeats: int, warmup: int = 1) -> Section:
    """Median latency of every panel per pair: the function, the function and encoding its pictures, and a request
    to the app served in this process."""
    function = {name: _medians(_direct_calls(pair, image), repeats, warmup) for name, (pair, image) in pairs.items()}
    encoding = {name: _medians(_with_encoding(_direct_calls(pair, image)), repeats, warmup)
                for name, (pair, image) in pairs.items()}
    with running_app(next(iter(pairs))) as demo:
        client = Client(demo.local_url, verbose=False, download_files=False, analytics_enabled=False)
        served = {name: _medians(_served_calls(client, name, image), repeats, warmup)
                  for name, (_, image) in pairs.items()}
    rows = [f"| {panel} | {pair} | {function[pair][panel]:.0f} | {encoding[pair][panel]:.0f} | "
            f"{served[pair][panel]:.0f} |" for panel in function[next(iter(pairs))] for pair in pairs]
    details = "\n".join([
        "Median ms of each panel. *Function*: the function in `ui/panels.py` that `ui/demo.py` wires, called in this "
        "process on the pair's example image (B2's). *+ encoding*: the same, then its pictures encoded as the "
        "app's Gradio components send them (WebP; plots rendered by matplotlib). *Served*: the endpoint through "
        "`gradio_client` against the real app (`harness/app_server.running_app`, in this process), so the upload, "
        "the queue and the transfer count too. *New image*: the shared analysis cache is emptied before each call; "
        "*analysis cached*: the image was analysed just before, as when Inside follows Compare. `theory` is "
        f"cached per pair after its first call. {repeats} runs after {warmup} warm-up run(s).",
        "",
        "| panel | pair | function | + encoding | served |",
        "|---|---|---:|---:|---:|",
        *rows,
    ])
    return Section("Panel latencies", details=details)
