"""The Training lab page through Streamlit's AppTest (no browser).

Every training here uses a tiny setting (32 images, 2 epochs, the narrow
U-Net) so the file runs in well under a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "training_lab.py")
TIMEOUT = 120


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


@pytest.fixture(scope="module")
def trained() -> AppTest:
    at = _small(_page())
    at.button(key="tl:train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


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


def test_a_finished_run_is_cached_across_sessions(trained):
    # A new session with the same settings shows the results without training.
    at = _small(_page())
    assert _labels(at).count("Validation Dice") == 2
    assert any("Loaded from the cache" in c.value for c in at.caption)
    assert "tl:job" not in at.session_state  # nothing ran in this session
    old = [m.value for m in trained.metric]
    assert [m.value for m in at.metric] == old


def test_one_loss_alone(trained):
    at = _small(_page())
    at.checkbox(key="tl:compare").uncheck().run()
    assert not at.exception
    at.button(key="tl:train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _labels(at).count("Validation Dice") == 1


def test_stop_marks_a_running_job_as_stopped(trained):
    at = trained
    at.session_state["tl:job"]["status"] = "running"  # as if the script had been interrupted
    at.button(key="tl:stop").click().run()
    assert not at.exception
    assert at.session_state["tl:job"]["status"] == "stopped"
    # with nothing running, Stop only says so
    at.button(key="tl:stop").click().run()
    assert not at.exception
    assert at.session_state["tl:job"]["status"] == "stopped"


def test_changing_a_control_while_training_marks_the_job_interrupted(trained):
    at = trained
    at.session_state["tl:job"]["status"] = "running"
    at.slider(key="tl:epochs").set_value(3).run()
    assert not at.exception
    assert at.session_state["tl:job"]["status"] == "interrupted"
    # the last run stays on the page, with a note that the settings changed
    assert _labels(at).count("Validation Dice") == 2
    assert any("interrupted" in c.value for c in at.caption)


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
