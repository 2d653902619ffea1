"""The homework's Vision Transformer (EncoderBlock -> Encoder -> ViT), corrected, and a timm converter.

Names and structure follow the seed's code. The fixes: the MLP no longer ends in a Sigmoid, every
forward returns its outputs, LayerNorm uses eps=1e-6 (what pretrained ViT weights expect), and
attention maps are kept per head ([B, heads, N+1, N+1]) instead of averaged. Attention keeps
nn.MultiheadAttention's weights but is computed as timm computes it, so it runs as fast as timm's own ViT.
"""
from functools import partial

import torch
from torch import nn
from torch.nn import functional as F

norm_layer = partial(nn.LayerNorm, eps=1e-6)


class SelfAttention(nn.MultiheadAttention):
    """nn.MultiheadAttention's weights under their usual names, computed as timm computes them.

    One fused qkv projection, then fused scaled_dot_product_attention when no maps are asked for, or
    softmax(q kᵀ / √d) v written out when they are, so the maps are a return value at no extra cost.
    """

    def __init__(self, d_model: int, num_heads: int, dropout: float = 0.0):
        super().__init__(d_model, num_heads, dropout, batch_first=True)
        self.attend = nn.Softmax(dim=-1)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                need_weights: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend a (b, n, d) sequence to itself; also return its maps per head (b, heads, n, n) if asked."""
        if not (query is key is value):
            raise ValueError("SelfAttention attends a sequence to itself: pass one tensor as query, key and value")
        b, n, d = query.shape
        qkv = F.linear(query, self.in_proj_weight, self.in_proj_bias)  # (b, n, d) -> (b, n, 3d)
        q, k, v = qkv.reshape(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)  # 3 × (b, heads, n, d_h)
        if need_weights:
            W = self.attend((q * self.head_dim ** -0.5) @ k.transpose(-2, -1))  # (b, heads, n, n)
            x = F.dropout(W, self.dropout, self.training) @ v
        else:
            W = None
            x = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        x = x.transpose(1, 2).reshape(b, n, d)  # (b, heads, n, d_h) -> (b, n, d)
        return self.out_proj(x), W


class EncoderBlock(nn.Module):
    """Pre-norm transformer block: x + MSA(LN(x)), then y + MLP(LN(y))."""

    def __init__(self, num_heads: int, d_model: int, d_feedforward: int, dropout: float = 0.0):
        super().__init__()
        self.num_heads = num_heads
        self.ln_1 = norm_layer(d_model)
        self.self_attention = SelfAttention(d_model, num_heads, dropout)
        self.dropout = nn.Dropout(dropout)
        self.ln_2 = norm_layer(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, d_feedforward),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(d_feedforward, d_model),
            nn.Dropout(dropout),
        )

    def forward(self, inputs: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Return the block's output and, if asked, its attention per head [B, heads, N, N]."""
        x = self.ln_1(inputs)
        x, W = self.self_attention(x, x, x, need_weights=need_weights)
        x = self.dropout(x)
        x = x + inputs
        y = self.ln_2(x)
        y = self.mlp(y)
        return x + y, W


class Encoder(nn.Module):
    """Position embedding, dropout, a stack of EncoderBlocks and a final LayerNorm."""

    def __init__(self, seq_length: int, num_layers: int, num_heads: int, d_model: int, d_feedforward: int,
                 dropout: float = 0.0):
        super().__init__()
        self.pos_embedding = nn.Parameter(torch.empty(1, seq_length, d_model).normal_(std=0.02))
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            EncoderBlock(num_heads, d_model, d_feedforward, dropout) for _ in range(num_layers)
        )
        self.ln = norm_layer(d_model)

    def forward(self, inputs: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Return the encoded tokens and the list of per-layer attention maps (empty unless asked)."""
        x = self.pos_embedding + inputs
        x = self.dropout(x)
        W = []
        for blk in self.layers:
            x, attn_output_weights = blk(x, need_weights)
            if need_weights:
                W.append(attn_output_weights)
        x = self.ln(x)
        return x, W


class ViT(nn.Module):
    """Patchify with a strided convolution, prepend the class token, encode, classify the class token."""

    def __init__(self, image_size: int, patch_size: int, num_classes: int, num_layers: int, num_heads: int,
                 d_model: int, d_feedforward: int, dropout: float = 0.0):
        super().__init__()
        if image_size % patch_size:
            raise ValueError(f"image_size {image_size} is not a multiple of patch_size {patch_size}")
        self.image_size = image_size
        self.patch_size = patch_size
        self.num_heads = num_heads
        seq_length = (image_size // patch_size) ** 2
        self.conv_proj = nn.Conv2d(3, d_model, kernel_size=patch_size, stride=patch_size)
        self.encoder = Encoder(seq_length + 1, num_layers, num_heads, d_model, d_feedforward, dropout)
        self.head = nn.Linear(d_model, num_classes)
        self.class_token = nn.Parameter(torch.zeros(1, 1, d_model))

    @property
    def grid_size(self) -> int:
        """Patches per side of the attention grid."""
        return self.image_size // self.patch_size

    def process_input(self, x: torch.Tensor) -> torch.Tensor:
        """Turn images into a sequence of patch embeddings."""
        x = self.conv_proj(x)  # (n, 3, h, w) -> (n, d_model, n_h, n_w)
        x = x.flatten(2, 3)  # -> (n, d_model, n_h * n_w)
        return x.permute(0, 2, 1)  # -> (n, n_h * n_w, d_model)

    def forward(self, x: torch.Tensor, need_weights: bool = False):
        """Logits, or (logits, maps) with one [B, heads, N+1, N+1] softmax attention tensor per layer."""
        batched_cls_token = self.class_token.expand(x.size(0), -1, -1)
        patches_embedding = self.process_input(x)
        patches_embedding = torch.cat((batched_cls_token, patches_embedding), dim=1)  # -> (n, N+1, d_model)
        x, W = self.encoder(patches_embedding, need_weights)
        x = x[:, 0]
        x = self.head(x)
        return (x, W) if need_weights else x


def from_timm(timm_vit: nn.Module) -> ViT:
    """Build a ViT holding the weights of a standard timm VisionTransformer; refuse any other variant."""
    _refuse_unsupported(timm_vit)
    blocks = timm_vit.blocks
    d_model = timm_vit.embed_dim
    vit = ViT(
        image_size=timm_vit.patch_embed.img_size[0],
        patch_size=timm_vit.patch_embed.patch_size[0],
        num_classes=timm_vit.head.out_features,
        num_layers=len(blocks),
        num_heads=blocks[0].attn.num_heads,
        d_model=d_model,
        d_feedforward=blocks[0].mlp.fc1.out_features,
    )
    source = timm_vit.state_dict()
    zeros = torch.zeros(3 * d_model)
    table = {
        "conv_proj.weight": source["patch_embed.proj.weight"],
        "conv_proj.bias": source["patch_embed.proj.bias"],
        "class_token": source["cls_token"],
        "encoder.pos_embedding": source["pos_embed"],
        "encoder.ln.weight": source["norm.weight"],
        "encoder.ln.bias": source["norm.bias"],
        "head.weight": source["head.weight"],
        "head.bias": source["head.bias"],
    }
    for i in range(len(blocks)):
        ours, theirs = f"encoder.layers.{i}.", f"blocks.{i}."
        table |= {
            ours + "ln_1.weight": source[theirs + "norm1.weight"],
            ours + "ln_1.bias": source[theirs + "norm1.bias"],
            ours + "self_attention.in_proj_weight": source[theirs + "attn.qkv.weight"],
            ours + "self_attention.in_proj_bias": source.get(theirs + "attn.qkv.bias", zeros),
            ours + "self_attention.out_proj.weight": source[theirs + "attn.proj.weight"],
            ours + "self_attention.out_proj.bias": source[theirs + "attn.proj.bias"],
            ours + "ln_2.weight": source[theirs + "norm2.weight"],
            ours + "ln_2.bias": source[theirs + "norm2.bias"],
            ours + "mlp.0.weight": source[theirs + "mlp.fc1.weight"],
            ours + "mlp.0.bias": source[theirs + "mlp.fc1.bias"],
            ours + "mlp.3.weight": source[theirs + "mlp.fc2.weight"],
            ours + "mlp.3.bias": source[theirs + "mlp.fc2.bias"],
        }
    target = vit.state_dict()
    assert table.keys() == target.keys(), f"key mismatch: {sorted(table.keys() ^ target.keys())}"
    with torch.no_grad():
        for key, value in table.items():
            assert value.shape == target[key].shape, f"{key}: {tuple(value.shape)} != {tuple(target[key].shape)}"
            target[key].copy_(value)
    return vit.eval()


def _refuse_unsupported(model: nn.Module) -> None:
    """Raise ValueError naming every feature of a timm ViT that the seed's ViT cannot represent."""
    from timm.layers import Mlp
    from timm.models.vision_transformer import Attention, Block, VisionTransformer

    if type(model) is not VisionTransformer:
        raise ValueError(f"{type(model).__name__} is not supported: only timm's plain VisionTransformer converts "
                         "(distillation tokens and other architectures are not supported)")
    identity = nn.Identity
    problems = []
    checks = {
        "no class token": not model.has_class_token,
        "register tokens": model.num_reg_tokens > 0,
        "position embedding that skips the class token (no_embed_class)": model.no_embed_class,
        "no learned position embedding": model.pos_embed is None,
        f"global_pool={model.global_pool!r} (only 'token')": model.global_pool != "token",
        "attention pooling head": model.attn_pool is not None,
        "pre-norm before the blocks (norm_pre)": not isinstance(model.norm_pre, identity),
        "fc_norm after pooling": not isinstance(model.fc_norm, identity),
        "no final norm": not isinstance(model.norm, nn.LayerNorm),
        "dynamic image size": model.dynamic_img_size,
        "norm inside the patch embedding": not isinstance(model.patch_embed.norm, identity),
        "non-square patches or images": (model.patch_embed.patch_size[0] != model.patch_embed.patch_size[1]
                                         or model.patch_embed.img_size[0] != model.patch_embed.img_size[1]),
        "no classification head": not isinstance(model.head, nn.Linear),
    }
    for i, block in enumerate(model.blocks):
        if type(block) is not Block:
            checks[f"block type {type(block).__name__}"] = True
            break
        attn, mlp = block.attn, block.mlp
        checks |= {
            "layer-scale": not (isinstance(block.ls1, identity) and isinstance(block.ls2, identity)),
            f"attention type {type(attn).__name__}": type(attn) is not Attention,
            "qk-norm": not (isinstance(attn.q_norm, identity) and isinstance(attn.k_norm, identity)),
            "attention output norm": not isinstance(getattr(attn, "norm", identity()), identity),
            "gated attention": getattr(attn, "gate", None) is not None,
            "no bias on the attention projection": attn.proj.bias is None,
            f"MLP type {type(mlp).__name__}": type(mlp) is not Mlp,
        }
        if type(mlp) is Mlp:
            act = mlp.act
            checks |= {
                f"activation {type(act).__name__}": not (type(act) is nn.GELU and act.approximate == "none"),
                "norm inside the MLP": not isinstance(mlp.norm, identity),
                "no bias in the MLP": mlp.fc1.bias is None or mlp.fc2.bias is None,
            }
        norms = [block.norm1, block.norm2, model.norm]
        checks["LayerNorm eps other than 1e-6"] = any(
            not isinstance(n, nn.LayerNorm) or n.eps != 1e-6 or not n.elementwise_affine for n in norms)
    problems = [name for name, bad in checks.items() if bad]
    if problems:
        raise ValueError("this timm ViT variant is not supported by the seed's ViT: " + "; ".join(problems))
