"""The toy pair's architectures and training recipes: what `python -m training.toy` trains."""
from dataclasses import asdict, dataclass, field

from toyworld import IMAGE_SIZE
from training.loop import Optimisation

MEAN = (0.5, 0.5, 0.5)
STD = (0.5, 0.5, 0.5)


@dataclass(frozen=True)
class Recipe:
    """How one model of the toy pair is built and trained."""
    key: str
    name: str
    kind: str  # "timm" or "vit"
    epochs: int
    lr: float
    weight_decay: float
    label_smoothing: float
    architecture: str = ""
    model_args: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)

    def manifest_fields(self) -> dict:
        """The fields that bundled.build_model reads back."""
        fields = {"name": self.name, "kind": self.kind}
        if self.kind == "timm":
            return fields | {"architecture": self.architecture, "model_args": self.model_args}
        return fields | {"config": self.config}

    def optimisation(self, epochs: int | None = None, batch_size: int = 128) -> Optimisation:
        """How the toy pair trains this model: AdamW with a one-cycle schedule, flips and shifts."""
        return Optimisation(epochs=epochs or self.epochs, lr=self.lr, weight_decay=self.weight_decay,
                            label_smoothing=self.label_smoothing, batch_size=batch_size)

    def hyperparameters(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k in {"epochs", "lr", "weight_decay", "label_smoothing"}}


TOY_CNN = Recipe(
    key="toy_cnn", name="ResNet-10-T, slim (timm resnet10t, channels 32-256, output stride 16)", kind="timm",
    architecture="resnet10t", model_args={"channels": [32, 64, 128, 256], "stem_width": 16, "output_stride": 16},
    epochs=2, lr=2e-3, weight_decay=0.05, label_smoothing=0.1,
)
TOY_VIT = Recipe(
    key="toy_vit", name="the seed's ViT (6 layers, 4 heads, d_model 128, patch 8)", kind="vit",
    config={"image_size": IMAGE_SIZE, "patch_size": 8, "num_classes": 10, "num_layers": 6, "num_heads": 4,
            "d_model": 128, "d_feedforward": 256},
    epochs=10, lr=1.5e-3, weight_decay=0.05, label_smoothing=0.1,
)
RECIPES = (TOY_CNN, TOY_VIT)
TRAIN_SIZE = 30_000
VAL_SIZE = 2_000
TEST_SIZE = 3_000
BATCH_SIZE = 128
