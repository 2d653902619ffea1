"""Theoretical receptive field of a timm ResNet after the stem and each stage, from its layers' geometry."""
from timm.layers import BlurPool2d
from torch import nn


def cnn_receptive_fields(cnn: nn.Module) -> dict[str, int]:
    """Input pixels seen by one unit after "stem" (conv1, before the max-pool) and "layer1".."layer4"."""
    # Convolutions and poolings in order along one path per block, the main branch: the downsample shortcut is
    # no wider. Global context (squeeze-excitation, if any) is not counted.
    size, jump = 1, 1  # receptive field and distance between neighbouring units, in input pixels
    fields = {}
    stages = {"stem": [cnn.conv1], "layer1": [cnn.maxpool, cnn.layer1],
              "layer2": [cnn.layer2], "layer3": [cnn.layer3], "layer4": [cnn.layer4]}
    for name, modules in stages.items():
        for module in modules:
            for path, layer in module.named_modules():
                if "downsample" in path.split("."):
                    continue
                geometry = _kernel_stride_dilation(layer)
                if geometry is not None:
                    kernel, stride, dilation = geometry
                    size += (dilation * (kernel - 1)) * jump
                    jump *= stride
        fields[name] = size
    return fields


def _kernel_stride_dilation(layer: nn.Module) -> tuple[int, int, int] | None:
    """Kernel, stride and dilation along one axis of a layer that has a spatial extent; None otherwise."""
    if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        dilation = getattr(layer, "dilation", 1)
        return _first(layer.kernel_size), _first(layer.stride), _first(dilation)
    if isinstance(layer, BlurPool2d):
        return layer.filt_size, layer.stride, 1
    return None


def _first(value: int | tuple[int, ...]) -> int:
    """The first entry of a per-axis setting (square kernels and strides)."""
    return value[0] if isinstance(value, tuple) else int(value)
