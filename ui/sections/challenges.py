"""The parts of the Challenges page: one graded task at a time, checked live on the learner's state.

Every challenge of :mod:`teaching.challenges` gets a card: the task, the controls it needs
(the same slider builder as the loss pages), the numbers that decide it, a hint on
request and, once solved, a short explanation. What is open, what is solved and the
controls' values live in the session and in the link, so a teacher can send a link to
one challenge, and a student's progress travels with the link.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from teaching import challenges
from teaching.registry import get

from .. import masks
from ..figures import images
from ..i18n import t
from ..runtime import cache, params
from ..runtime.guard import guard
from ..widgets.sliders import param_control

KEYS = tuple(challenges.CHALLENGES)
OPEN = params.Setting("challenge", "ch:open", KEYS[0], params.choice_of(KEYS), "challenge")
_SOLVED = "ch:solved"


def _parse_solved(raw: str) -> tuple[str, ...]:
    """A link's list of solved challenges (``solved=a,b``); unknown names make it unusable."""
    names = tuple(n for n in str(raw).split(",") if n)
    if any(n not in KEYS for n in names):
        raise ValueError("unknown challenge")
    return names


SOLVED = params.Setting("solved", "ch:solved-link", (), _parse_solved, "solved")


def control_settings(challenge: challenges.Challenge) -> tuple[params.Setting, ...]:
    """The settings of a challenge's controls: its loss parameters, then its own dials."""
    out = []
    for loss, name in challenge.params:
        p = get(loss).param(name)
        out.append(
            params.Setting(
                f"{loss}.{name}", f"ch:{challenge.key}:{loss}:{name}", p.blog, p.clamp, name
            )
        )
    for d in challenge.dials:
        parse = params.number_in(d.lo, d.hi, int)
        out.append(params.Setting(d.name, f"ch:{challenge.key}:{d.name}", d.default, parse, d.name))
    return tuple(out)


def solved() -> set[str]:
    """The challenges this session has solved (also those a link said were solved)."""
    ss = st.session_state
    if _SOLVED not in ss:
        params.seed([SOLVED])
        ss[_SOLVED] = set(params.values([SOLVED])["solved"])
    return ss[_SOLVED]


def _label(key: str) -> str:
    mark = "✓ " if key in solved() else ""
    return mark + t(f"challenges.{key}.title")


def picker() -> challenges.Challenge:
    """The challenge to work on (kept in the session and the link)."""
    params.seed([OPEN])
    params.bound(st.selectbox, t("challenges.pick"), KEYS, format_func=_label, key=OPEN.key)
    return challenges.CHALLENGES[params.values([OPEN])["challenge"]]


def _slice(challenge: challenges.Challenge, loss: str, name: str, values: dict):
    """The live slider's slice for a challenge's parameter: that loss on the learner's masks,
    its other parameters as the challenge sets them (else the blog's); None for a challenge
    that does not look at the masks."""
    if not challenge.uses_masks or get(loss).param(name).kind == "bool":
        return None
    others = {n: v for (k, n), v in _loss_values(challenge, values).items() if k == loss}
    others.pop(name, None)
    y_true, y_pred = masks.get_masks()
    return cache.live_slice(masks.masks_digest(), loss, name, cache.frozen(others), y_true, y_pred)


def _loss_values(challenge: challenges.Challenge, values: dict) -> dict:
    """``{(loss, name): value}`` of the challenge's loss parameters."""
    return {(k, n): values[f"{k}.{n}"] for k, n in challenge.params}


def _controls(challenge: challenges.Challenge, settings: tuple) -> dict:
    params.seed(settings)
    before = params.values(settings)
    for (loss, name), s in zip(challenge.params, settings, strict=False):
        param_control(loss, get(loss).param(name), s.key, _slice(challenge, loss, name, before))
    for d, s in zip(challenge.dials, settings[len(challenge.params) :], strict=True):
        params.bound(st.slider, t(f"challenges.dial.{d.name}"), d.lo, d.hi, step=d.step, key=s.key)
    return params.values(settings)


def _number_text(name: str, value) -> str:
    """A status number as text: the catalogs hold words, code decides how numbers look."""
    if isinstance(value, (int, np.integer)):
        return str(value)
    if name.endswith("share"):
        return f"{value:.1%}"
    if name.startswith("by_"):
        return f"{value:+.4f}"
    return f"{value:.2f}" if name == "ratio" else f"{value:.4f}"


def _status(challenge: challenges.Challenge, result: challenges.Result) -> None:
    numbers = {k: _number_text(k, v) for k, v in result.numbers.items() if not isinstance(v, bool)}
    st.markdown(t(f"challenges.{challenge.key}.status", **numbers))
    if result.numbers.get("too_small"):
        st.warning(t("challenges.object_too_small"), icon=":material/info:")
    if result.solved:
        st.success(t("challenges.solved"), icon=":material/check_circle:")
        st.markdown(t(f"challenges.{challenge.key}.explain"))
    else:
        st.info(t("challenges.not_yet"), icon=":material/pending:")
        if st.toggle(t("challenges.hint"), key=f"ch:hint:{challenge.key}"):
            st.markdown(t(f"challenges.{challenge.key}.hint"))


def _batch_pictures(radius: int) -> None:
    """The two images of the missed-object batch: the large object found, the small one missed."""
    t_batch, p_batch = challenges.missed_object_batch(radius)
    row = st.columns(2)
    for col, t_img, p_img, caption in zip(
        row,
        t_batch,
        p_batch,
        (t("challenges.batch.found"), t("challenges.batch.missed")),
        strict=True,
    ):
        col.image(
            images.overlap_rgb(images.upscale(t_img, 2), images.upscale(p_img, 2)), caption=caption
        )


def card(challenge: challenges.Challenge) -> None:
    """The task, its controls, the live check and what it means."""
    with st.container(border=True):
        st.subheader(t(f"challenges.{challenge.key}.title"))
        st.markdown(t(f"challenges.{challenge.key}.task"))
        settings = control_settings(challenge)
        values = _controls(challenge, settings)
        if challenge.key == "smallest_noticed":
            _batch_pictures(int(values["radius"]))
        y_true, y_pred = masks.get_masks()
        with guard(t("challenges.check_failed")):
            result = challenges.check(challenge.key, y_true, y_pred, values)
            if result.solved:
                solved().add(challenge.key)
            _status(challenge, result)
    params.sync_link((OPEN, *settings), {"challenge": challenge.key, **values})
    _sync_solved()


def _sync_solved() -> None:
    done = ",".join(k for k in KEYS if k in solved())
    qp = st.query_params
    if done and qp.get("solved") != done:
        qp["solved"] = done
    elif not done and "solved" in qp:
        del qp["solved"]


def progress() -> None:
    """How many challenges are solved, and which."""
    done = [k for k in KEYS if k in solved()]
    st.progress(
        len(done) / len(KEYS), text=t("challenges.progress", done=len(done), total=len(KEYS))
    )


def link_names() -> set[str]:
    """Every name the page accepts in its link."""
    names = {OPEN.link, SOLVED.link}
    for c in challenges.CHALLENGES.values():
        names |= params.link_names(control_settings(c))
    return names
