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
}


@dataclass(frozen=True)
class Target:
    """One measured target: met when the figure, at the precision shown, is at most the limit."""
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
        return 2 if self.unit == "×" else (1 if self.unit == "%" else 0)

    @property
    def met(self) -> bool:
        return round(self.measured, self.digits) <= self.limit

    def show(self, value: float) -> str:
        """A value in this target's unit, e.g. '1.03×', '812 MB' or '0.4 %'."""
        number = f"{value:.{self.digits}f}"
        return f"{number}×" if self.unit == "×" else f"{number} {self.unit}"


@dataclass
class Section:
    """One part of the report: its targets (if any), Markdown details, and profiles of what missed."""
    title: str
    targets: list[Target] = field(default_factory=list)
    details: str = ""
    profile: str = ""
