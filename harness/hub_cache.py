"""Build a Hugging Face Hub cache on disk from random-init timm weights, laid out as huggingface_hub does."""
import hashlib
import json
from pathlib import Path

import timm
import torch
from safetensors.torch import save_file


def add_to_hub_cache(cache: Path, model_name: str, seed: int = 0) -> Path:
    """Write timm/<model_name> (model.safetensors, config.json) into the cache; return the weights file."""
    torch.manual_seed(seed)
    model = timm.create_model(model_name, pretrained=False)
    with torch.no_grad():
        for p in model.parameters():  # off the init, so LayerNorm/BatchNorm mistakes show
            p.add_(torch.randn_like(p) * 0.02)
    repo = cache / f"models--timm--{model_name}"
    commit = hashlib.sha1(model_name.encode()).hexdigest()
    (repo / "refs").mkdir(parents=True, exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True, exist_ok=True)
    (repo / "blobs").mkdir(exist_ok=True)
    config = {"architecture": model_name.split(".")[0], "num_classes": model.num_classes,
              "pretrained_cfg": {k: v for k, v in model.pretrained_cfg.items() if k != "url"}}
    files = {"model.safetensors": None, "config.json": json.dumps(config, default=list).encode()}
    tmp = repo / "blobs" / "incoming"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(tmp))
    files["model.safetensors"] = tmp.read_bytes()
    tmp.unlink()
    for filename, data in files.items():
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / filename).symlink_to(Path("../..") / "blobs" / blob.name)
    return snapshot / "model.safetensors"
