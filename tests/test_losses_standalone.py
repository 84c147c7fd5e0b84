"""``losses/`` copied alone into an empty folder trains, saves and loads, and touches no variable.

Each check runs in a fresh ``python -I`` (isolated: no current directory, no
PYTHONPATH, no user site) whose ``sys.path`` gets only the temporary folder
that holds the copy, so nothing from this repository can be imported by
accident.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from teaching.registry import ALL_SPECS

ROOT = Path(__file__).resolve().parents[1]

# each check starts a fresh interpreter, and TensorFlow's import alone takes several seconds
pytestmark = pytest.mark.slow

TRAIN_SAVE_LOAD = r"""
import json, sys
folder, repo, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path.insert(0, folder)
out = {"sys_path": list(sys.path), "importable": {}}
for name in ("teaching", "ui", "trainlab", "pages"):
    try:
        __import__(name)
        out["importable"][name] = True
    except ModuleNotFoundError:
        out["importable"][name] = False

import numpy as np
import losses
import keras

rng = np.random.default_rng(0)
x = rng.random((4, 8, 8, 1)).astype("float32")
y = (x > 0.6).astype("float32")
out["classes"] = {}
for key, cls in losses.KERAS_CLASSES.items():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 1))
    outputs = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid")(inputs)
    model = keras.Model(inputs, outputs)
    loss = cls(**params[key])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss=loss)
    start = [w.copy() for w in model.get_weights()]
    history = [float(model.train_on_batch(x, y)) for _ in range(2)]
    moved = any(not np.array_equal(a, b) for a, b in zip(start, model.get_weights()))
    path = key + ".keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    out["classes"][key] = {
        "class": type(loaded.loss).__name__,
        "same_class": type(loaded.loss) is cls,
        "original_config": loss.get_config(),
        "loaded_config": loaded.loss.get_config(),
        "history": history,
        "weights_moved": moved,
        "predictions_equal": bool(np.array_equal(np.asarray(model(x)), np.asarray(loaded(x)))),
        "loss_after": float(loss(y, model(x))),
        "loaded_loss_after": float(loaded.loss(y, loaded(x))),
    }
out["repo_modules"] = sorted(
    name for name, m in sys.modules.items()
    if (getattr(m, "__file__", None) or "").startswith(repo)
)
out["losses_file"] = losses.__file__
print("RESULT " + json.dumps(out))
"""

ENVIRONMENT = r"""
import json, os, sys
sys.path.insert(0, sys.argv[1])
before = dict(os.environ)
import losses
after_import = dict(os.environ)
y, p = [[1.0, 0.0, 1.0]], [[0.9, 0.2, 0.0]]
for fn in (losses.bce, losses.focal, losses.dice, losses.combo):
    float(fn(y, p))
float(losses.FocalTverskyLoss(gamma=0.75)(y, p))
after_call = dict(os.environ)
from h5py import h5pl
print("RESULT " + json.dumps({
    "before": before, "after_import": after_import, "after_call": after_call,
    "hdf5_plugin_paths": [h5pl.get(i).decode() for i in range(h5pl.size())],
}))
"""


@pytest.fixture(scope="module")
def copy_of_losses(tmp_path_factory):
    """A temporary folder holding nothing but a copy of ``losses/``."""
    folder = tmp_path_factory.mktemp("standalone")
    shutil.copytree(
        ROOT / "losses", folder / "losses", ignore=shutil.ignore_patterns("__pycache__")
    )
    assert sorted(p.name for p in folder.iterdir()) == ["losses"]
    return folder


def run_isolated(code, *args, cwd, env):
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, proc.stdout[-3000:]
    return json.loads(lines[0][len("RESULT ") :])


def base_env(home):
    # only what a shell always has; HOME points at a temporary folder so that Keras's own
    # first-run config file (~/.keras/keras.json) lands there
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}


def class_params():
    """Non-default settings for each class: the papers' values, and per-image for two."""
    params = {key: spec.defaults("paper") for key, spec in ALL_SPECS.items()}
    params["dice"]["per_image"] = True
    params["focal_tversky"]["per_image"] = True
    return params


def test_the_copy_alone_trains_saves_and_loads_every_class(copy_of_losses, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    params = class_params()
    out = run_isolated(
        TRAIN_SAVE_LOAD,
        copy_of_losses,
        str(ROOT),
        json.dumps(params),
        cwd=work,
        env=base_env(tmp_path),
    )
    # nothing of this repository was on the path or got imported
    assert str(ROOT) not in out["sys_path"] and "" not in out["sys_path"]
    assert out["sys_path"][0] == str(copy_of_losses)
    assert out["importable"] == {"teaching": False, "ui": False, "trainlab": False, "pages": False}
    assert out["repo_modules"] == []
    assert Path(out["losses_file"]).is_relative_to(copy_of_losses)

    assert sorted(out["classes"]) == sorted(ALL_SPECS)
    for key, r in out["classes"].items():
        assert r["same_class"] and r["class"] == ALL_SPECS[key].keras_class, key
        assert r["loaded_config"] == r["original_config"], key
        for name, value in params[key].items():
            assert r["original_config"][name] == value, (key, name)
        assert all(v == v and abs(v) < 1e6 for v in r["history"]), (key, r["history"])
        assert r["weights_moved"], key
        assert r["predictions_equal"], key
        assert r["loaded_loss_after"] == r["loss_after"], key
    for key in ALL_SPECS:
        assert (work / f"{key}.keras").is_file()


@pytest.mark.parametrize(
    "preset",
    [
        {},
        {
            "CUDA_VISIBLE_DEVICES": "-1",
            "TF_CPP_MIN_LOG_LEVEL": "1",
            "KERAS_BACKEND": "tensorflow",
            "TF2_BEHAVIOR": "1",
        },
    ],
    ids=["bare", "preset"],
)
def test_importing_and_calling_changes_no_environment_variable(copy_of_losses, tmp_path, preset):
    env = {**base_env(tmp_path), **preset}
    out = run_isolated(ENVIRONMENT, copy_of_losses, cwd=tmp_path, env=env)
    before = out["before"]
    for name, value in preset.items():
        assert before[name] == value
    if not preset:
        assert "CUDA_VISIBLE_DEVICES" not in before and "TF_CPP_MIN_LOG_LEVEL" not in before
    assert out["after_import"] == before
    assert out["after_call"] == before
    # TensorFlow's own lock-out of HDF5 plugins (set while it loads h5py) is still in force
    # in the process, although its variable was taken back
    assert out["hdf5_plugin_paths"] == ["disable"]
