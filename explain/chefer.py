"""Gradient-weighted attention rollout of Chefer, Gur & Wolf 2021 ("Generic Attention-model Explainability for
Interpreting Bi-Modal and Encoder-Decoder Transformers", ICCV), for a self-attention classifier.

Per layer, in order: Ā = mean over heads of (∇A ⊙ A)⁺, where ∇A is the gradient of the explained class's logit
with respect to that layer's softmax attention A; then R ← R + Ā·R, starting from R = I. The class token's row
of R over the patch tokens is the map: class-specific (through ∇A) and non-negative, unlike plain rollout.
The served ViT pass (explain.passes.vit_pass) takes the maps' gradients in the same backward as its Grad-CAM.
"""
import torch



def chefer_relevance(maps: list[torch.Tensor], grads: list[torch.Tensor]) -> torch.Tensor:
    """The relevance matrix R [N+1, N+1] from per-layer [heads, N+1, N+1] attention maps and their gradients."""
    tokens = maps[0].shape[-1]
    relevance = torch.eye(tokens, device=maps[0].device)
    for attention, grad in zip(maps, grads, strict=True):
        weighted = (grad.float() * attention.float()).clamp_min(0).mean(dim=0)  # Ā: [N+1, N+1]
        relevance = relevance + weighted @ relevance
    return relevance


def chefer_map(maps: list[torch.Tensor], grads: list[torch.Tensor]) -> torch.Tensor:
    """The class token's relevance to each patch token, as a [grid, grid] map (raw, non-negative)."""
    cls_row = chefer_relevance(maps, grads)[0, 1:]
    grid = int(round(cls_row.numel() ** 0.5))
    if grid * grid != cls_row.numel():
        raise ValueError(f"{cls_row.numel()} patch tokens do not form a square grid")
    return cls_row.reshape(grid, grid)
