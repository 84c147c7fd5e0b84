"""The Training lab page through Streamlit's AppTest (no browser).

Every training here uses a tiny setting (32 images, 2 epochs, the narrow
U-Net) so the file runs in well under a minute. Training happens in the
worker processes of the process-wide pool (:mod:`trainlab.pool`); AppTest
does not run a fragment's timer, so a test reruns the page until the run
has finished, as the page's poll would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "training_lab.py")
TIMEOUT = 120
os.environ.setdefault("SEGLOSS_NO_WARMUP", "1")


def _page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _small(at: AppTest, epochs: int = 2) -> AppTest:
    at.number_input(key="tl:n_train").set_value(32)
    at.number_input(key="tl:n_val").set_value(16)
    at.slider(key="tl:epochs").set_value(epochs)
    at.select_slider(key="tl:batch_size").set_value(16)
    at.select_slider(key="tl:width").set_value(4)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _labels(at: AppTest) -> list[str]:
    return [m.label for m in at.metric]


def _status(at: AppTest) -> str:
    return at.session_state["tl:job"]["status"]


def _until_finished(at: AppTest, timeout: float = TIMEOUT) -> AppTest:
    """Wait for the pool's runs of this session (no reruns meanwhile: they would take the
    CPU from the workers), then rerun as the page's poll would."""
    for job in at.session_state["tl:job"]["jobs"]:
        assert job.finished.wait(timeout), "the run did not finish"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(at) != "running"
    return at


def _watching(at: AppTest) -> list[str]:
    """What the page says while it waits: queue positions, progress bars, starting."""
    return [i.value for i in at.info] + [p.proto.text for p in at.get("progress")]


@pytest.fixture(scope="module")
def trained() -> AppTest:
    at = _small(_page())
    # other test files may have built models in this process; if none did, the page must not
    at.models_before = "trainlab.train" in sys.modules
    at.button(key="tl:train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(at) == "running"
    at.watched = _watching(at)  # what the page showed right after the press
    return _until_finished(at)


def test_training_shows_the_queue_then_the_results_and_never_trains_here(trained):
    assert trained.watched, "no queue position or progress while training"
    assert all(("queue" in w or "epoch" in w or "starting" in w) for w in trained.watched)
    assert _status(trained) == "done"
    if not trained.models_before:  # the page built no model in this process
        assert "trainlab.train" not in sys.modules and "trainlab.model" not in sys.modules


def test_page_runs_and_offers_training():
    at = _page()
    assert at.title[0].value == "Training lab"
    assert at.button(key="tl:train").label == "Train"
    assert not at.button(key="tl:train").disabled
    assert at.button(key="tl:stop").label == "Stop"
    assert not at.error
    # every registry loss (and BCE) can be picked, with its sliders from the registry
    from teaching import registry

    assert list(at.selectbox(key="tl:loss:A").options) == [
        s.title for s in registry.ALL_SPECS.values()
    ]
    at.selectbox(key="tl:loss:B").set_value("tversky").run()
    assert not at.exception
    beta = at.slider(key="tl:B:tversky:beta")
    spec = registry.get("tversky").param("beta")
    assert (beta.min, beta.max, beta.step, beta.value) == (spec.lo, spec.hi, spec.step, spec.blog)


def test_train_shows_metrics_charts_and_summary(trained):
    at = trained
    assert not at.error, [e.value for e in at.error]
    assert _labels(at).count("Validation Dice") == 2
    values = [float(m.value) for m in at.metric if m.label == "Validation Dice"]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert len(at.get("plotly_chart")) == 1
    assert any(s.value == "What to notice" for s in at.subheader)
    notice = [m.value for m in at.markdown if "**Binary cross-entropy**" in m.value]
    assert notice and "**Dice**" in notice[0]
    assert any("the run you just watched" in c.value for c in at.caption)
    assert at.session_state["tl:job"]["status"] == "done"


def test_a_finished_run_is_kept_by_the_pool_for_other_sessions(trained):
    # A new session with the same settings shows the results without training: the pool
    # keeps finished runs under their settings' key (no Streamlit cache holds them).
    from ui.sections import training

    at = _small(_page())
    assert _labels(at).count("Validation Dice") == 2
    assert any("Loaded from the cache" in c.value for c in at.caption)
    assert "tl:job" not in at.session_state  # nothing ran in this session
    old = [m.value for m in trained.metric]
    assert [m.value for m in at.metric] == old
    for key in trained.session_state["tl:job"]["keys"]:
        kept = training.pool().result(key)
        assert kept is not None and kept.final == trained.session_state["tl:job"]["runs"][key].final


def test_the_results_read_in_korean(trained, monkeypatch):
    """The texts a finished run brings (metrics, the sentences written from its numbers, the
    chart, the gallery, the details) in Korean: the same run, taken from the pool."""
    from teaching import registry
    from tests.korean_text import english_runs, lacks_hangul, visible_texts
    from ui import i18n

    monkeypatch.setattr(i18n, "_reported", set())
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.query_params["lang"] = "ko"
    at.run()
    at = _small(at)
    korean = i18n.text("training.metrics.dice", "ko")
    assert _labels(at).count(korean) == 2, _labels(at)
    assert any(s.value == i18n.text("training.results.notice", "ko") for s in at.subheader)
    refs = [r for spec in registry.ALL_SPECS.values() for r in spec.references]
    texts = visible_texts(at)
    assert len(texts) > 40 and any(kind == "chart" for kind, _ in texts)
    bad = [(k, v) for k, v in texts if english_runs(v, refs) or lacks_hangul(v, refs)]
    assert not bad, bad[:10]
    notice = [m.value for m in at.markdown if "**이진 교차 엔트로피** 모델" in m.value]
    assert notice and "**Dice** 모델" in notice[0], [m.value for m in at.markdown]
    assert not i18n.reported(), i18n.reported()


def test_one_loss_alone(trained):
    at = _small(_page())
    at.checkbox(key="tl:compare").uncheck().run()
    assert not at.exception
    at.button(key="tl:train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _labels(at).count("Validation Dice") == 1


def _long_run(seed: int = 7) -> AppTest:
    at = _small(_page(), epochs=60)
    at.number_input(key="tl:seed").set_value(seed).run()
    at.checkbox(key="tl:compare").uncheck().run()
    at.button(key="tl:train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _pool_job(at: AppTest):
    return at.session_state["tl:job"]["jobs"][0]


def test_stop_ends_the_run_and_keeps_the_finished_epochs():
    at = _long_run()
    job = _pool_job(at)
    deadline = time.monotonic() + TIMEOUT
    while job.epochs_done < 1:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    at.run()
    assert at.get("progress"), "no progress bar while training"
    at.button(key="tl:stop").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(at) == "stopped"
    assert job.finished.wait(30) and job.status == "stopped"  # nobody else watched
    assert _labels(at).count("Validation Dice") == 1  # the epochs that finished
    assert any("stopped" in i.value for i in at.info)
    # with nothing running, Stop only says so
    at.button(key="tl:stop").click().run()
    assert not at.exception
    assert _status(at) == "stopped"


def test_changing_a_control_while_training_keeps_the_run_going():
    at = _long_run(seed=8)
    at.slider(key="tl:epochs").set_value(3).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status(at) == "running"
    assert any("settings have changed" in c.value for c in at.caption)
    at.button(key="tl:stop").click().run()
    assert _status(at) == "stopped"


def test_batch_larger_than_the_data_is_an_error_not_a_traceback():
    at = _page()
    at.number_input(key="tl:n_train").set_value(32)
    at.select_slider(key="tl:batch_size").set_value(64).run()
    assert not at.exception
    assert at.error and "larger than the training set" in at.error[0].value
    assert at.button(key="tl:train").disabled


def test_identical_losses_are_an_error():
    at = _page()
    at.selectbox(key="tl:loss:B").set_value("bce").run()
    assert not at.exception
    assert at.error and "same loss with the same parameters" in at.error[0].value
    assert at.button(key="tl:train").disabled
    # the same loss with another parameter is a fair comparison
    at.selectbox(key="tl:loss:A").set_value("focal")
    at.selectbox(key="tl:loss:B").set_value("focal").run()
    assert at.error
    at.slider(key="tl:B:focal:gamma").set_value(0.0).run()
    assert not at.error
    assert not at.button(key="tl:train").disabled


def test_a_link_sets_the_controls_and_bad_values_are_ignored():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(
        {"loss_a": "focal", "loss_b": "tversky", "epochs": "3", "images": "5000", "fg": "x"}
    )
    at.switch_page("pages/training_lab.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="tl:loss:A").value == "focal"
    assert at.selectbox(key="tl:loss:B").value == "tversky"
    assert at.slider(key="tl:epochs").value == 3
    assert at.number_input(key="tl:n_train").value == 2048  # clamped into range
    assert at.slider(key="tl:fg_percent").value == 1.0  # "x" is not a number: default kept
    notes = " ".join(w.value for w in at.warning)
    assert "fg=x" in notes and "images=5000" in notes  # one note says what the link could not use
    # loss_b=none trains one loss only
    one = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    one.query_params["loss_b"] = "none"
    one.run()
    assert not one.checkbox(key="tl:compare").value


def test_turning_the_comparison_off_and_on_restores_the_second_loss():
    at = _page()
    at.checkbox(key="tl:compare").uncheck().run()
    at.checkbox(key="tl:compare").check().run()
    assert not at.exception
    assert at.selectbox(key="tl:loss:B").value == "dice"
    assert not at.error


def test_a_training_process_that_dies_gives_a_message_not_a_traceback():
    import signal

    at = _long_run(seed=9)
    job = _pool_job(at)
    deadline = time.monotonic() + TIMEOUT
    while not job.pid or job.epochs_done < 1:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    os.kill(job.pid, signal.SIGKILL)
    _until_finished(at)
    assert _status(at) == "failed"
    assert any("stopped unexpectedly" in e.value for e in at.error)
    assert not at.exception
    # a fresh process takes the next run
    at.slider(key="tl:epochs").set_value(1).run()
    at.button(key="tl:train").click().run()
    _until_finished(at)
    assert _status(at) == "done" and _labels(at).count("Validation Dice") == 1
