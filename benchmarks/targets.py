"""The performance targets (ratios, because shared CPUs are noisy) and what each section of the report holds."""
from dataclasses import dataclass, field

LIMITS: dict[str, float] = {
    "B1": 1.00,  # seed ViT / timm ViT, no maps
    "B1 maps": 1.05,  # seed ViT with every layer's maps / timm ViT
    "B2": 1.25,  # one compare request / its bare compute
    "B3": 1.15,  # 24-angle rotation sweep / batched bare inference
    "B4": 1.5,  # `python app.py` until it serves / `import gradio, torch, timm`
    "B5": 1200.0,  # MB resident after 100 requests
    "B5 flat": 5.0,  # % growth of resident memory from request 100 to 500
    "B6": 0.50,  # 24-angle rotation sweep at `auto` / fp32 batched bare inference, resnet50-vs-deit-small
    "B7": 0.60,  # compare request at `auto` / its fp32 bare compute, resnet50-vs-deit-small
    "B8": 0.60,  # findings report (quick) or one epoch of the toy ViT's training, `auto` / fp32
    "F1": 99.5,  # % top-1 agreement of bf16 with fp32 (at least)
    "F2": 0.01,  # 99th percentile of |Δ probability|, bf16 against fp32
    "F3": 0.98,  # Pearson r of a map with its fp32 version (at least)
}
AT_LEAST = {"F1", "F3"}
"""Targets met by reaching their limit rather than staying under it."""


@dataclass(frozen=True)
class Target:
    """One measured target: met when the figure, at the precision shown, is at most the limit (at least, for the
    keys in AT_LEAST)."""
    key: str
    what: str
    measured: float
    detail: str  # the absolute figures behind the ratio
    unit: str = "×"

    @property
    def limit(self) -> float:
        return LIMITS[self.key]

    @property
    def digits(self) -> int:
        return {"×": 2, "%": 1, "": 4}.get(self.unit, 0)

    @property
    def relation(self) -> str:
        return "≥" if self.key in AT_LEAST else "≤"

    @property
    def met(self) -> bool:
        shown = round(self.measured, self.digits)
        return shown >= self.limit if self.key in AT_LEAST else shown <= self.limit

    def show(self, value: float) -> str:
        """A value in this target's unit, e.g. '1.03×', '812 MB', '0.4 %' or (unitless) '0.9987'."""
        number = f"{value:.{self.digits}f}"
        return f"{number}×" if self.unit == "×" else f"{number} {self.unit}".rstrip()


@dataclass
class Section:
    """One part of the report: its targets (if any), Markdown details, and profiles of what missed."""
    title: str
    targets: list[Target] = field(default_factory=list)
    details: str = ""
    profile: str = ""
