"""The asymmetric Unified Focal loss next to MONAI's ``AsymmetricUnifiedFocalLoss``.

MONAI (PyTorch) is not a dependency of this project; the test runs when the Python that
runs pytest can import ``monai`` and ``torch`` (``pip install -r requirements-compare.txt``)
and is skipped otherwise. MONAI runs in a child process, so PyTorch and TensorFlow never
share one.

The conventions that differ, each checked here:

* MONAI averages over the two classes where the paper sums them (its cross-entropy is
  the mean over batch, *class* and pixels; its region part the mean over images and
  classes), so it returns exactly half of ``losses.unified_focal``;
* it computes the region part of each image and averages (``per_image=True`` here);
* its ``epsilon`` (1e-7) is the Tversky smoothing (``smooth`` here) and also clamps the
  predictions before the soft counts (here the counts use the predictions as they are;
  the logs clip alike): that moves each count by at most 1e-7 per pixel, invisible at
  float32 rounding even for certain 0/1 predictions;
* its ``weight`` is the paper's lambda (on the cross-entropy part); its ``delta``
  defaults to 0.7 in MONAI 1.6 where the paper uses 0.6.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import losses

SETTINGS = [
    {"lambda_": 0.5, "delta": 0.6, "gamma": 0.5},
    {"lambda_": 0.2, "delta": 0.8, "gamma": 0.1},
    {"lambda_": 0.9, "delta": 0.3, "gamma": 0.75},
    {"lambda_": 0.0, "delta": 0.5, "gamma": 0.0},
]

_CHILD = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import torch
    from monai.losses import AsymmetricUnifiedFocalLoss

    data = np.load(sys.argv[1])
    settings = json.loads(sys.argv[2])
    out = {}
    for name in ("inner", "saturated"):
        t = torch.from_numpy(data[name + "_t"][:, None].astype(np.float64))
        p = torch.from_numpy(data[name + "_p"][:, None].astype(np.float64))
        values = []
        for s in settings:
            loss = AsymmetricUnifiedFocalLoss(
                weight=s["lambda_"], delta=s["delta"], gamma=s["gamma"]
            )
            values.append(float(loss(p, t)))
        out[name] = values
    print(json.dumps(out))
    """
)


def _monai_available() -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", "import monai, torch"], capture_output=True, timeout=300
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def monai_values(tmp_path_factory):
    if not _monai_available():
        pytest.skip("MONAI and PyTorch are not installed (pip install -r requirements-compare.txt)")
    rng = np.random.default_rng(11)
    shape = (3, 24, 24)
    t = (rng.random(shape) < 0.15).astype(np.float32)
    inner = (0.01 + 0.98 * rng.random(shape)).astype(np.float32)
    saturated = (rng.random(shape) < 0.2).astype(np.float32)
    path = tmp_path_factory.mktemp("monai") / "masks.npz"
    np.savez(path, inner_t=t, inner_p=inner, saturated_t=t, saturated_p=saturated)
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), json.dumps(SETTINGS)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    values = json.loads(run.stdout.strip().splitlines()[-1])
    return {"t": t, "p": {"inner": inner, "saturated": saturated}, "monai": values}


def _ours(t, p, s):
    return float(losses.unified_focal(t, p, **s, smooth=1e-7, per_image=True))


@pytest.mark.parametrize("i", range(len(SETTINGS)), ids=[str(s) for s in SETTINGS])
def test_monai_is_half_of_the_papers_sum_over_the_two_classes(monai_values, i):
    s = SETTINGS[i]
    ours = _ours(monai_values["t"], monai_values["p"]["inner"], s)
    assert monai_values["monai"]["inner"][i] == pytest.approx(ours / 2, rel=2e-5)


@pytest.mark.parametrize("i", range(len(SETTINGS)), ids=[str(s) for s in SETTINGS])
def test_monai_agrees_on_certain_predictions_despite_its_clamped_counts(monai_values, i):
    s = SETTINGS[i]
    ours = _ours(monai_values["t"], monai_values["p"]["saturated"], s)
    assert monai_values["monai"]["saturated"][i] == pytest.approx(ours / 2, rel=2e-5)
