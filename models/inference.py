"""Plain batched inference of both models of a pair on images already cropped to [0, 1]."""
import torch

from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast


@torch.inference_mode()
def probabilities(pair: Pair, batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Softmax probabilities [B, classes] of the CNN and the ViT for a [B, 3, H, W] batch in [0, 1], at the process's
    precision (runtime.precision), as float32 on the CPU."""
    device = module_device(pair.cnn)
    batch = batch.to(device)
    with autocast(device):
        cnn_logits = pair.cnn(batch)
        vit_logits = pair.vit(batch)
    return cnn_logits.float().softmax(-1).cpu(), vit_logits.float().softmax(-1).cpu()


def top_k(probs: torch.Tensor, labels: list[str], k: int) -> list[dict]:
    """The k most probable classes of one [classes] probability vector, highest first."""
    scores, indices = probs.topk(min(k, probs.numel()))
    return [{"label": labels[i], "score": float(s)} for s, i in zip(scores.tolist(), indices.tolist())]
