"""The training loop (training.loop): its schedules, its plateau stop, its records and resuming an interrupted run."""
import math

import pytest
import torch
from torch import nn

from training.loop import Optimisation, evaluate, fit


def _data(count: int = 96, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two classes a small model can learn: the sign of the first pixel's mean."""
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn(count, 3, 8, 8, generator=generator)
    return images, (images[:, 0].mean((1, 2)) > 0).long()


def _model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 16), nn.ReLU(), nn.Linear(16, 2))


def test_warmup_then_cosine_to_zero():
    recipe = Optimisation(epochs=8, lr=1e-2, batch_size=16, schedule="warmup-cosine", warmup_epochs=2, augment=False)
    history = fit(_model(), _data(), _data(32, 1), recipe, seed=0, desc="test")
    lrs = [e.lr for e in history.epochs]
    # 6 steps an epoch: 12 of linear warmup, then 36 of cosine decay
    assert lrs[0] == pytest.approx(1e-2 * 7 / 12) and lrs[1] == pytest.approx(1e-2)
    assert lrs[2] == pytest.approx(1e-2 * 0.5 * (1 + math.cos(math.pi * 6 / 36)))
    assert lrs[1:] == sorted(lrs[1:], reverse=True) and lrs[-1] == pytest.approx(0.0, abs=1e-12)
    assert [e.steps for e in history.epochs] == [6 * (i + 1) for i in range(8)]


def test_records_hold_training_and_validation_accuracy_and_loss():
    recipe = Optimisation(epochs=3, lr=1e-2, batch_size=16, augment=False)
    model = _model()
    val = _data(32, 1)
    history = fit(model, _data(), val, recipe, seed=0, desc="test")
    last = history.epochs[-1]
    assert (last.val_loss, last.val_accuracy) == pytest.approx(evaluate(model, *val))
    assert 0 <= last.train_accuracy <= 1 and last.train_loss > 0
    assert history.stopped == "end of schedule" and history.kept_epoch == 3 and history.steps == 18
    assert history.to_json()["recipe"]["described"].startswith("AdamW")


def test_a_plateau_stops_training_and_keeps_the_best_epoch():
    recipe = Optimisation(epochs=10, lr=0.0, batch_size=16, schedule="constant", patience=2, augment=False)
    model = _model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    history = fit(model, _data(), _data(32, 1), recipe, seed=0, desc="test")  # lr 0: nothing ever improves
    assert history.stopped == "plateau" and len(history.epochs) == 3 and history.kept_epoch == 1
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())


def test_an_interrupted_run_resumes_to_the_same_weights(tmp_path):
    recipe = Optimisation(epochs=3, lr=1e-2, batch_size=16, schedule="warmup-cosine", warmup_epochs=1,
                          clip_norm=1.0, augment=False)
    whole = _model()
    fit(whole, _data(), _data(32, 1), recipe, seed=5, desc="whole")

    def stop_after_second(epoch: int, model: nn.Module) -> None:
        if epoch == 2:
            raise KeyboardInterrupt

    checkpoint = tmp_path / "run.pt"
    with pytest.raises(KeyboardInterrupt):  # epoch 1's checkpoint is written, epoch 2's is not
        fit(_model(), _data(), _data(32, 1), recipe, seed=5, desc="cut", checkpoint=checkpoint,
            after_epoch=stop_after_second)
    resumed = _model(seed=99)  # the checkpoint, not the initialisation, decides
    history = fit(resumed, _data(), _data(32, 1), recipe, seed=5, desc="resumed", checkpoint=checkpoint)
    assert [e.epoch for e in history.epochs] == [1, 2, 3]
    assert all(torch.equal(v, resumed.state_dict()[k]) for k, v in whole.state_dict().items())


def test_an_unknown_schedule_is_refused_by_name():
    with pytest.raises(ValueError, match="warmup-cosine"):
        Optimisation(epochs=1, lr=1e-3, schedule="linear")
