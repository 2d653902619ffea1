"""The homework's Vision Transformer (EncoderBlock -> Encoder -> ViT), corrected, and a timm converter.

Names and structure follow the seed's code. The fixes: the MLP no longer ends in a Sigmoid, every
forward returns its outputs, LayerNorm uses eps=1e-6 (what pretrained ViT weights expect), and
attention maps are kept per head ([B, heads, N+1, N+1]) instead of averaged. The ViT takes images in
[0, 1] and normalises them itself through its `normalize` step (identity unless its pair sets the mean and
std its weights were trained with), so a caller never has to know a hidden preprocessing step.
"""
from functools import partial

import torch
from torch import nn
from torch.nn import functional as F

norm_layer = partial(nn.LayerNorm, eps=1e-6)


class SelfAttention(nn.Module):
    """Multi-head self-attention with nn.MultiheadAttention's parameters and names, computed as timm computes it.

    Why not nn.MultiheadAttention itself, as the seed writes it: the explanations need every head's map as a
    return value, and served without maps the model should run timm's fused path (one qkv projection, then
    scaled_dot_product_attention; written out in bf16 training on a CPU, where that is faster). A plain module states
    that contract honestly: it attends a sequence to itself (no separate key/value, no masks, always
    batch-first), returns per-head maps only when asked, and keeps `in_proj_weight`, `in_proj_bias` and
    `out_proj` so weights move to and from nn.MultiheadAttention (and the seed's checkpoints) unchanged.
    Parameters are initialised exactly as nn.MultiheadAttention does, in the same order, so training from a seed
    gives the same weights either way.
    """

    def __init__(self, d_model: int, num_heads: int, dropout: float = 0.0):
        super().__init__()
        if d_model % num_heads:
            raise ValueError(f"d_model {d_model} is not a multiple of num_heads {num_heads}")
        self.embed_dim = d_model
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.dropout = dropout
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d_model, d_model))
        self.in_proj_bias = nn.Parameter(torch.empty(3 * d_model))
        self.out_proj = nn.Linear(d_model, d_model)
        self.attend = nn.Softmax(dim=-1)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.in_proj_bias)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attend a (b, n, d) sequence to itself; also return its maps per head (b, heads, n, n) if asked."""
        b, n, d = x.shape
        qkv = F.linear(x, self.in_proj_weight, self.in_proj_bias)  # (b, n, d) -> (b, n, 3d)
        q, k, v = qkv.reshape(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)  # 3 × (b, heads, n, d_h)
        if need_weights or _graph_in_lower_precision_on_cpu(x):
            W = self.attend((q * self.head_dim ** -0.5) @ k.transpose(-2, -1))  # (b, heads, n, n)
            x = F.dropout(W, self.dropout, self.training) @ v
            W = W if need_weights else None
        else:
            W = None
            x = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        x = x.transpose(1, 2).reshape(b, n, d)  # (b, heads, n, d_h) -> (b, n, d)
        return self.out_proj(x), W


def _graph_in_lower_precision_on_cpu(x: torch.Tensor) -> bool:
    """Whether attention should be written out rather than fused: when a graph is recorded under CPU autocast (bf16
    training, and backward passes), where torch 2.14's fused kernels have slow bfloat16 backwards.

    Without a graph the flash kernel stays: its bfloat16 forward keeps the attention scores in float32, while written
    out they are rounded to bfloat16, which costs the sweeps' scores exactness for little time. In float32, and on a
    GPU, the fused kernel always runs (B1: timm's own operators). The timings and errors behind both choices:
    BENCHMARKS.md, Notes, "Precision (issue 13): what changed", item 2."""
    return x.device.type == "cpu" and torch.is_grad_enabled() and torch.is_autocast_enabled("cpu")


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
        x, W = self.self_attention(x, need_weights)
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
        self.normalize: nn.Module = nn.Identity()  # its pair sets Normalization(mean, std); holds no weights

    @property
    def grid_size(self) -> int:
        """Patches per side of the attention grid."""
        return self.image_size // self.patch_size

    def _check_input(self, x: torch.Tensor) -> None:
        """Refuse anything but an (n, 3, image_size, image_size) batch, before the position embedding (one entry per
        patch at that size) meets it, as torchvision's ViT does; a size that is not whole patches says so."""
        expected = (self.conv_proj.in_channels, self.image_size, self.image_size)
        if x.dim() == 4 and tuple(x.shape[1:]) == expected:
            return
        shape = " × ".join(map(str, x.shape[1:] if x.dim() == 4 else x.shape))
        given = shape if x.dim() == 4 else f"a {x.dim()}-d tensor of {shape}"
        wanted = " × ".join(map(str, expected))
        message = f"the ViT takes images of {wanted} (channels × height × width), not {given}"
        p = self.patch_size
        if x.dim() == 4 and any(side % p for side in x.shape[-2:]):
            message += f" ({x.shape[-2]} × {x.shape[-1]} is not a whole number of {p} × {p} patches)"
        raise ValueError(message)

    def process_input(self, x: torch.Tensor) -> torch.Tensor:
        """Turn images into a sequence of patch embeddings."""
        x = self.conv_proj(x)  # (n, 3, h, w) -> (n, d_model, n_h, n_w)
        x = x.flatten(2, 3)  # -> (n, d_model, n_h * n_w)
        return x.permute(0, 2, 1)  # -> (n, n_h * n_w, d_model)

    def forward(self, x: torch.Tensor, need_weights: bool = False):
        """Logits, or (logits, maps) with one [B, heads, N+1, N+1] softmax attention tensor per layer."""
        self._check_input(x)
        batched_cls_token = self.class_token.expand(x.size(0), -1, -1)
        patches_embedding = self.process_input(self.normalize(x))
        patches_embedding = torch.cat((batched_cls_token, patches_embedding), dim=1)  # -> (n, N+1, d_model)
        x, W = self.encoder(patches_embedding, need_weights)
        x = self.classify(x)
        return (x, W) if need_weights else x

    def classify(self, encoded: torch.Tensor) -> torch.Tensor:
        """Logits from the encoder's output (n, N+1, d_model): the head applied to the class token."""
        return self.head(encoded[:, 0])


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
    load_timm_state(vit, timm_vit.state_dict(), timm_key_table(len(blocks)))
    return vit.eval()


def timm_key_table(num_layers: int) -> dict[str, str]:
    """Our state-dict key -> timm VisionTransformer's, for a model of num_layers blocks."""
    table = {
        "conv_proj.weight": "patch_embed.proj.weight",
        "conv_proj.bias": "patch_embed.proj.bias",
        "class_token": "cls_token",
        "encoder.pos_embedding": "pos_embed",
        "encoder.ln.weight": "norm.weight",
        "encoder.ln.bias": "norm.bias",
        "head.weight": "head.weight",
        "head.bias": "head.bias",
    }
    block = {
        "ln_1.weight": "norm1.weight",
        "ln_1.bias": "norm1.bias",
        "self_attention.in_proj_weight": "attn.qkv.weight",
        "self_attention.in_proj_bias": "attn.qkv.bias",
        "self_attention.out_proj.weight": "attn.proj.weight",
        "self_attention.out_proj.bias": "attn.proj.bias",
        "ln_2.weight": "norm2.weight",
        "ln_2.bias": "norm2.bias",
        "mlp.0.weight": "mlp.fc1.weight",
        "mlp.0.bias": "mlp.fc1.bias",
        "mlp.3.weight": "mlp.fc2.weight",
        "mlp.3.bias": "mlp.fc2.bias",
    }
    for i in range(num_layers):
        table |= {f"encoder.layers.{i}.{ours}": f"blocks.{i}.{theirs}" for ours, theirs in block.items()}
    return table


def load_timm_state(vit: ViT, source: dict[str, torch.Tensor], table: dict[str, str]) -> None:
    """Copy timm's tensors into `vit` by the table (a qkv without bias becomes a zero bias); ValueError on a mismatch."""
    target = vit.state_dict()
    if table.keys() != target.keys():
        raise ValueError(f"key mismatch between the table and the seed's ViT: {sorted(table.keys() ^ target.keys())}")
    values = {}
    for ours, theirs in table.items():
        if theirs in source:
            values[ours] = source[theirs]
        elif theirs.endswith("attn.qkv.bias"):
            values[ours] = torch.zeros(target[ours].shape)
        else:
            raise ValueError(f"the timm weights have no {theirs!r} (for {ours!r})")
        if values[ours].shape != target[ours].shape:
            raise ValueError(f"{ours} <- {theirs}: {tuple(values[ours].shape)} != {tuple(target[ours].shape)}")
    with torch.no_grad():
        for key, value in values.items():
            target[key].copy_(value)


def _refuse_unsupported(model: nn.Module) -> None:
    """Raise ValueError naming every feature of a timm ViT that the seed's ViT cannot represent."""
    from timm.models.vision_transformer import VisionTransformer

    if type(model) is not VisionTransformer:
        raise ValueError(f"{type(model).__name__} is not supported: only timm's plain VisionTransformer converts "
                         "(distillation tokens and other architectures are not supported)")
    identity = nn.Identity
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
    for block in model.blocks:
        for name, bad in _block_checks(block, model.norm).items():
            checks[name] = checks.get(name, False) or bad  # refused if any block has it
    problems = [name for name, bad in checks.items() if bad]
    if problems:
        raise ValueError("this timm ViT variant is not supported by the seed's ViT: " + "; ".join(problems))


def _block_checks(block: nn.Module, final_norm: nn.Module) -> dict[str, bool]:
    """{feature the seed's ViT cannot represent: whether this timm block has it}."""
    from timm.layers import Mlp
    from timm.models.vision_transformer import Attention, Block

    identity = nn.Identity
    if type(block) is not Block:
        return {f"block type {type(block).__name__}": True}
    attn, mlp = block.attn, block.mlp
    checks = {
        "layer-scale": not (isinstance(block.ls1, identity) and isinstance(block.ls2, identity)),
        f"attention type {type(attn).__name__}": type(attn) is not Attention,
        "qk-norm": not (isinstance(attn.q_norm, identity) and isinstance(attn.k_norm, identity)),
        "attention output norm": not isinstance(getattr(attn, "norm", identity()), identity),
        "gated attention": getattr(attn, "gate", None) is not None,
        "no bias on the attention projection": attn.proj.bias is None,
        f"MLP type {type(mlp).__name__}": type(mlp) is not Mlp,
        "LayerNorm eps other than 1e-6": any(not isinstance(n, nn.LayerNorm) or n.eps != 1e-6 or not n.elementwise_affine
                                             for n in (block.norm1, block.norm2, final_norm)),
    }
    if type(mlp) is Mlp:
        act = mlp.act
        checks |= {
            f"activation {type(act).__name__}": not (type(act) is nn.GELU and act.approximate == "none"),
            "norm inside the MLP": not isinstance(mlp.norm, identity),
            "no bias in the MLP": mlp.fc1.bias is None or mlp.fc2.bias is None,
        }
    return checks
