"""The precision setting: how `auto` resolves, how native bfloat16 is detected, and what autocast() does."""
import pytest
import torch

import runtime.precision as precision_module
from runtime.device import module_device
from runtime.precision import (PRECISION_ENV, autocast, default_setting, native_bf16, precision, precision_set,
                               resolve, set_precision)

CPU = torch.device("cpu")


@pytest.fixture
def cpu_process(monkeypatch):
    """The process's device is the CPU, whatever this machine has."""
    monkeypatch.setattr(precision_module, "compute_device", lambda: CPU)


def test_auto_is_fp32_where_native_bf16_is_reported_absent(monkeypatch, cpu_process):
    monkeypatch.setattr(precision_module, "native_bf16", lambda: False)
    assert resolve("auto") == "fp32"
    assert set_precision("auto") == precision() == "fp32"
    with autocast():
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.float32


def test_auto_is_bf16_where_native_bf16_is_reported(monkeypatch, cpu_process):
    monkeypatch.setattr(precision_module, "native_bf16", lambda: True)
    assert set_precision("auto") == precision() == "bf16"
    with autocast():
        assert (torch.ones(2, 2) @ torch.ones(2, 2)).dtype == torch.bfloat16


def test_explicit_settings_hold_whatever_the_cpu(monkeypatch, cpu_process):
    monkeypatch.setattr(precision_module, "native_bf16", lambda: False)
    assert resolve("bf16") == "bf16" and resolve("fp32") == "fp32"
    with pytest.raises(ValueError, match="auto, fp32, bf16"):
        resolve("fp16")


def test_a_cuda_gpu_gets_bf16_or_fp16_without_it(monkeypatch):
    cuda = torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: False)
    assert resolve("auto", cuda) == resolve("bf16", cuda) == "fp16"
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: True)
    assert resolve("auto", cuda) == "bf16" and resolve("fp32", cuda) == "fp32"


def test_onednn_capped_below_bf16_counts_as_no_native_bf16(monkeypatch):
    monkeypatch.setattr(precision_module, "_cpu_has_bf16", lambda: True)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "avx512_core")
    assert not native_bf16()
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE_AMX")
    assert native_bf16() == torch.backends.mkldnn.is_available()
    monkeypatch.setattr(precision_module, "_cpu_has_bf16", lambda: False)
    assert not native_bf16()


def test_the_environment_variable_sets_the_default(monkeypatch):
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    assert default_setting() == "auto"
    monkeypatch.setenv(PRECISION_ENV, " FP32 ")
    assert default_setting() == "fp32"
    monkeypatch.setenv(PRECISION_ENV, "half")
    with pytest.raises(ValueError, match=PRECISION_ENV):
        default_setting()


def test_precision_set_restores_what_was_in_force(cpu_process):
    before = precision()
    with precision_set("bf16") as name:
        assert name == precision() == "bf16"
        with precision_set("fp32"):
            assert precision() == "fp32"
        assert precision() == "bf16"
    assert precision() == before


def test_weights_stay_float32_under_autocast(tiny_pair, cpu_process):
    with precision_set("bf16"), torch.inference_mode(), autocast():
        logits = tiny_pair.vit(torch.rand(1, 3, 32, 32))
    assert logits.dtype == torch.bfloat16
    assert {p.dtype for p in tiny_pair.vit.parameters()} == {torch.float32}


def test_module_device_of_a_module_without_tensors_is_the_cpu():
    assert module_device(torch.nn.ReLU()) == CPU
    assert module_device(torch.nn.Linear(2, 2)) == CPU
