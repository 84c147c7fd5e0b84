"""The frame every loss page shares: header, masks, sliders with the value, and the views.

A page script names its loss and its views in reading order::

    loss_page.render("tversky", views=[("heatmap", tversky.heatmap), *loss_views.COMMON])

A view is ``(key, draw)``: the key names it in the session (so a language switch
keeps the open view) and in the catalogs (``views.tabs.<key>`` is its label).

Layout: the masks (presets, painting, upload) on the left; on the right, two
fragments: the sliders with the loss value, and below them the formula and one
view of figures. A slider move reruns only the first; the figures follow once
the new value is on screen (``ui/widgets/redraw.py``). The canvases are not redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from teaching.registry import LossSpec, format_formula, get

from .. import masks, text
from ..i18n import current as current_language
from ..i18n import formatter, loss_text, t
from ..masks import presets
from ..runtime import cache, links, params
from ..runtime.guard import guard
from ..widgets import downloads, projector, redraw
from ..widgets.sliders import param_controls, reset_buttons


@dataclass
class Context:
    """What a view needs to draw itself."""

    spec: LossSpec
    y_true: np.ndarray
    y_pred: np.ndarray
    params: dict
    digest: str
    numbers: dict
    #: in a shared view (recorded once, replayed to every session): the charts whose
    #: download buttons are drawn after the view, since a cached function holds no widget
    deferred: list | None = None

    @property
    def frozen(self) -> tuple:
        return cache.frozen(self.params)

    def chart(self, fig, key: str) -> None:
        """A chart of this view, with PNG / SVG downloads titled with the loss, values and masks."""
        title = slide_title(self.spec, self.params)
        if self.deferred is None:
            downloads.chart(fig, key, title)
        else:
            st.plotly_chart(fig, width="stretch", key=key)
            figure = fig.to_dict()
            figure["layout"].pop("template", None)  # the slide draws in its own palette
            self.deferred.append((figure, key, title))


View = tuple[str, Callable[[Context], None]]
#: Turns a page's per-step view numbers (``teaching.slices.VIEW_STEPS``) into what its
#: live sliders show beside the loss: ``{parameter: extras}`` (see ui/widgets/live_slider.py).
LiveViews = Callable[[dict], dict]


def loss_name(spec: LossSpec) -> str:
    """ "Tversky loss" / "Tversky 손실": the title of a loss page and of its value."""
    return t("loss_page.title", name=loss_text(spec.key, "title"))


def slide_title(spec: LossSpec, values: dict) -> str:
    """The title of a downloaded figure: the loss, its parameters, the preset (if any)."""
    return downloads.board_title(loss_name(spec), values, masks.source_words())


def header(spec: LossSpec) -> None:
    st.title(loss_name(spec))
    intuition = text.section(spec.key, "intuition")
    if not intuition:
        return
    if projector.is_on():  # folded: the teacher says it; the room reads the value
        with st.expander(t("projector.intuition"), icon=":material/lightbulb:"):
            st.markdown(intuition)
    else:
        st.markdown(intuition)


def _metric(spec: LossSpec, value: float, signature: str) -> None:
    """The loss value, with its change since the previous interaction."""
    slot = f"last-value:{spec.key}"
    prev = st.session_state.get(slot)
    delta = None
    if prev is not None:
        prev_sig, prev_val, prev_delta = prev
        delta = prev_delta if prev_sig == signature else value - prev_val
    st.session_state[slot] = (signature, value, delta)
    st.metric(
        loss_name(spec),
        f"{value:.4f}",
        delta=None if delta is None or abs(delta) < 5e-5 else f"{delta:+.4f}",
        delta_color="inverse",
        help=t("loss_page.metric_help"),
    )


def _counts_line(n: dict) -> str:
    return t(
        "loss_page.counts",
        tp=f"{n['TP']:.1f}",
        fp=f"{n['FP']:.1f}",
        fn=f"{n['FN']:.1f}",
        tn=f"{n['TN']:.0f}",
    )


@dataclass
class State:
    """The masks and parameters of one run of a loss page, with their cache keys."""

    y_true: np.ndarray
    y_pred: np.ndarray
    settings: tuple
    params: dict
    digest: str
    frozen: tuple

    @property
    def token(self) -> str:
        """What ``ui/widgets/redraw.py`` compares to know whether the figures are current."""
        return f"{self.digest}|{self.frozen}"


def _current(spec: LossSpec) -> State:
    y_true, y_pred = masks.get_masks()
    settings = params.loss_settings(spec)
    params.seed(settings)
    values = params.values(settings)
    return State(y_true, y_pred, settings, values, masks.masks_digest(), cache.frozen(values))


@dataclass
class Slots:
    """Where the two fragments of a loss page write (containers made outside them).

    The value fragment fills ``controls`` (sliders and reset buttons) and
    ``value``; the figures fragment fills ``notes`` (the soft counts and the
    preset's caption, which change only with the masks) and everything below
    them. Keeping the value fragment this small is what makes a slider move
    show at once.
    """

    controls: Any
    value: Any
    notes: Any


def live_slices(spec: LossSpec, s: State) -> dict:
    """The slice of every numeric parameter, each cached on the other parameters."""
    out = {}
    for p in spec.numeric_params:
        others = cache.frozen({k: v for k, v in s.params.items() if k != p.name})
        out[p.name] = cache.live_slice(s.digest, spec.key, p.name, others, s.y_true, s.y_pred)
    return out


def live_extras(spec: LossSpec, s: State, live_views: LiveViews | None) -> dict:
    """What the page's named views show at each step of its sliders, if it has any."""
    if live_views is None:
        return {}
    return _live_extras(spec.key, s.digest, s.frozen, current_language(), live_views, s)


@st.cache_data(max_entries=256, show_spinner=False)
def _live_extras(page: str, digest: str, frozen: tuple, lang: str, _live_views, _s) -> dict:
    """Built once per page, masks, parameters and language (the Tversky map is a PNG to
    encode), then shared by every session at the same state."""
    return _live_views(cache.view_steps(digest, page, frozen, _s.y_true, _s.y_pred))


def value_panel(spec: LossSpec, slots: Slots, live_views: LiveViews | None = None) -> None:
    """Sliders and the loss value: the small fragment a slider move reruns.

    The value is computed and sent first, before the sliders are drawn: a
    slider's new value is already in the session state when the rerun starts,
    so the number the learner is waiting for leaves the server within a few
    milliseconds. The figures follow (see ``ui/widgets/redraw.py``). The sliders
    are live (``ui/widgets/live_slider.py``): each carries its slice, and
    ``live_views`` adds the numbers of the page's named views at every step.
    """
    s = _current(spec)
    numbers = cache.value_and_counts(s.digest, spec.key, s.frozen, s.y_true, s.y_pred)
    with slots.value:
        _metric(spec, numbers["value"], s.token)
    with slots.controls:
        param_controls(spec, s.settings, live_slices(spec, s), live_extras(spec, s, live_views))
        # the buttons belong here, not in the figures fragment: a button that sets
        # the sliders must rerun the fragment that draws them (a keyed rerun of both
        # fragments from the figures side left the sliders showing old values)
        reset_buttons(spec, s.settings)
    redraw.request(spec.key, s.token)


def _notes(spec: LossSpec, numbers: dict) -> None:
    """The soft counts and the preset's "what to notice" caption for this page."""
    st.markdown(_counts_line(numbers))
    preset = masks.get_mask_info().get("preset")
    caption = presets.preset_caption(preset, spec.key) if preset else None
    if caption:
        st.info(t("loss_page.notice", caption=caption))


def _view_setting(spec: LossSpec, views: list[View]) -> params.Setting:
    """The open view, kept in the session and in the link as ``view=<key>``."""
    names = [name for name, _ in views]
    return params.Setting("view", f"view-{spec.key}", names[0], params.choice_of(names), "view")


def _chosen_view(spec: LossSpec, views: list[View]) -> View:
    """One view at a time, chosen with a segmented control.

    st.tabs costs the browser ~10 ms on every rerun, even of another fragment:
    with a segmented control only the chosen view is computed and sent, and
    choosing another reruns this fragment only.
    """
    setting = _view_setting(spec, views)
    params.seed((setting,))
    names = [name for name, _ in views]
    if st.session_state.get(setting.key) not in names:
        st.session_state[setting.key] = setting.default
    choice = params.bound(
        st.segmented_control,
        t("loss_page.view_label"),
        names,
        format_func=formatter("views.tabs.{}"),
        key=setting.key,
        required=True,
        label_visibility="collapsed",
        width="stretch",
    )
    params.sync_link((setting,), {"view": choice})
    return choice, dict(views)[choice]


def figures_panel(spec: LossSpec, views: list[View], slots: Slots) -> None:
    """The counts, the formula with the current values and one view."""
    s = _current(spec)
    redraw.mark_drawn(spec.key, s.token)
    # the address bar follows the sliders and the masks (a link opens with this
    # board); done here, not with the sliders: the browser's URL update costs some 10 ms
    params.sync_link(s.settings, s.params)
    masks_too_long = links.sync_masks(masks.link_fields())
    numbers = cache.value_and_counts(s.digest, spec.key, s.frozen, s.y_true, s.y_pred)
    with slots.notes:
        _notes(spec, numbers)
        if masks_too_long:
            st.caption(t("links.masks_too_long"))
    # the formula with the current values spans the whole panel (it is long);
    # it is filled last: typesetting is the slowest thing in the browser here
    formula_slot = st.empty()
    name, draw = _chosen_view(spec, views)
    with guard(t("loss_page.draw_view", view=t(f"views.tabs.{name}"))):
        ctx = Context(spec, s.y_true, s.y_pred, s.params, s.digest, numbers)
        if name in SHARED_VIEWS:
            ctx.deferred = []
            drawn = _shared_view(spec.key, name, s.digest, s.frozen, current_language(), draw, ctx)
            downloads.deferred_buttons(drawn)
        else:
            draw(ctx)
    formula_slot.latex(format_formula(spec, s.params).replace("L =", r"\mathcal{L} ="))


#: Views drawn from the page, the masks, the parameters and the language only (no widget
#: of their own, nothing of the session; their charts' downloads are drawn after them):
#: a class on the default masks moves between the same few settings, so the first session to draw one records its elements and every other
#: session gets them replayed, without building the figures again.
SHARED_VIEWS = {"tversky_square", "overlap", "push"}


@st.cache_data(max_entries=256, show_spinner=False)
def _shared_view(page: str, view: str, digest: str, frozen: tuple, lang: str, _draw, _ctx):
    """Draw ``_draw(_ctx)`` once per (page, view, masks, parameters, language); replay it after.

    Returns the charts the view drew (figure as a dict, key, slide title) for their downloads.
    """
    _draw(_ctx)
    return _ctx.deferred


def render(key: str, views: list[View], live_views: LiveViews | None = None) -> None:
    """The page of one loss: header, masks, and the live results with ``views``.

    ``live_views`` (optional) makes the page's named views follow a slider's drag.
    """
    spec = get(key)
    links.audit(params.link_names(params.loss_settings(spec)))
    header(spec)
    # for a projector the masks get room for both canvases side by side (about 530 px)
    left, right = st.columns([1.1, 1] if projector.is_on() else [1, 1.2], gap="medium")
    with left:
        masks.render_mask_input()
    with right:
        # two fragments: a slider move reruns the small one at once, the
        # figures follow when the new value is on screen (ui/widgets/redraw.py)
        cc, cv = st.columns([1, 1.2], gap="large")
        slots = Slots(controls=cc, value=cv.container(), notes=cv.container())
        st.fragment(value_panel, key=f"value-{key}")(spec, slots, live_views)
        st.fragment(figures_panel, key=redraw.figures_key(key))(spec, views, slots)
