"""Every page's settings, kept in the session and in the page's link.

A page declares its settings as :class:`Setting` objects: where the value lives
in ``st.session_state`` (the key of the widget that shows it), the name it has
in the query string, its default, and how a value from a link is read. Then::

    params.seed(settings)            # once per session: from the link if valid, else the default
    params.bound(st.slider, label, lo, hi, key=setting.key)   # ...each widget
    values = params.values(settings) # {name: value}
    params.sync_link(settings, values)

Loss parameters come from the registry (:func:`loss_settings`), so a loss page,
the compare page and the training lab all read and write them the same way.

Streamlit forgets the value of a widget that was not drawn in a run (a slider
of another page, loss B's sliders while the comparison is off). Every value is
therefore also kept in a plain dict in the session, and a widget that comes
back is seeded from it, so nothing a learner set is lost by moving around.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from teaching.registry import ALL_KEYS, LossSpec, Param, format_value, get, nearest_step

from ..i18n import t
from . import links

_STORE = "_segloss_settings"


@dataclass(frozen=True)
class Setting:
    """One value a page keeps in the session and, when ``link`` is set, in its link."""

    name: str  # the name the page computes with (a loss parameter's name, ...)
    key: str  # session-state key: the key of the widget that shows it
    default: Any
    parse: Callable[[str], Any]  # link text -> value; raises ValueError when unacceptable
    link: str = ""  # query-string name; "" keeps the setting out of the link
    # a parsed value -> the nearest one its control can show (a slider's step), if any
    snap: Callable[[Any], Any] | None = None


def loss_settings(spec: LossSpec, scope: str = "param", link_prefix: str = "") -> tuple:
    """The settings of a loss's parameters, from the registry: ``<scope>:<loss>:<name>``."""
    return tuple(
        Setting(
            name=p.name,
            key=f"{scope}:{spec.key}:{p.name}",
            default=p.blog,
            parse=p.clamp,
            link=f"{link_prefix}{p.name}",
            snap=_onto_steps(p),
        )
        for p in spec.params
    )


def _onto_steps(p: Param) -> Callable[[Any], Any] | None:
    """The nearest step of ``p``'s slider: a live slider shows (and has the loss of) only
    those (``teaching.slices``, ``registry.nearest_step``); None for a switch or a scale (``clamp`` already snaps)."""
    if p.kind == "bool" or p.choices:
        return None
    return functools.partial(nearest_step, p)


# --------------------------------------------------------------------------- parsers
def choice_of(options: Iterable) -> Callable[[str], Any]:
    """A parser that accepts one of ``options`` (numbers compare by value)."""
    options = tuple(options)

    def parse(raw: str):
        for option in options:
            if str(option) == raw:
                return option
            if not isinstance(option, str):
                try:
                    if float(raw) == float(option):
                        return option
                except ValueError:
                    pass
        raise ValueError("not one of the choices")

    return parse


def number_in(lo: float, hi: float, kind: type = float) -> Callable[[str], Any]:
    """A parser for an int or float, clamped into [lo, hi]."""

    def parse(raw: str):
        value = kind(raw) if kind is float else int(float(raw))
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return kind(min(max(value, lo), hi))

    return parse


# --------------------------------------------------------------------------- state
def _store() -> dict:
    return st.session_state.setdefault(_STORE, {})


def _from_link(s: Setting):
    """The value the link gives a setting, or its default (with a note when it is not usable)."""
    raw = st.query_params.get(s.link) if s.link else None
    if raw is None:
        return s.default
    try:
        value = s.parse(raw)
    except (TypeError, ValueError, OverflowError):
        links.note(t("links.bad_value", name=links.echo(s.link), value=links.echo(raw)))
        return s.default
    if _moved(raw, value):
        links.note(
            t(
                "links.clamped",
                name=links.echo(s.link),
                value=links.echo(raw),
                used=format_value(value),
            )
        )
    elif s.snap is not None and s.snap(value) != value:
        value = s.snap(value)
        links.note(
            t(
                "live.snapped",
                name=links.echo(s.link),
                value=links.echo(raw),
                used=format_value(value),
            )
        )
    return value


def _moved(raw: str, value) -> bool:
    """True when a number from a link had to be brought into range (or onto a scale)."""
    if isinstance(value, (bool, str)):
        return False
    try:
        return abs(float(raw) - float(value)) > 1e-9 * max(1.0, abs(float(value)))
    except ValueError:
        return False


def seed(settings: Iterable[Setting]) -> None:
    """Give each setting its value once: kept from earlier, else from the link, else the default.

    A link value that cannot be read is ignored and one that is out of range is brought
    into range, each with a short note (:func:`ui.runtime.links.show_notes`).
    """
    store, ss = _store(), st.session_state
    for s in settings:
        if s.key in ss:
            continue
        if s.key in store:
            ss[s.key] = store[s.key]
            continue
        ss[s.key] = store[s.key] = _from_link(s)


#: Widgets whose starting choice is an ``index`` into their options, or a ``default``.
_BY_INDEX = ("selectbox", "radio")
_BY_DEFAULT = ("segmented_control", "pills")


def bound(widget: Callable, label: str, *args, key: str, **kwargs):
    """``widget(label, *args, key=key, **kwargs)`` drawn at the value the session holds.

    Why not the key alone: a seeded widget is sent once with "take the session's
    value", and Streamlit drops the messages a run has not sent yet when another run
    starts (a second rerun right after a page opens, a busy server). The browser then
    builds the widget from the next run's message, which carries only its default, and
    shows the default (a dial at 0.00) while Python holds the seeded value. With the
    held value as the default the two agree however the messages fall.
    """
    if key in st.session_state:
        held = st.session_state[key]
        name = getattr(widget, "__name__", "")
        if name in _BY_INDEX:
            options = list(args[0] if args else kwargs["options"])
            if held in options:
                kwargs["index"] = options.index(held)
        elif name in _BY_DEFAULT:
            kwargs["default"] = held
        else:
            kwargs["value"] = held
    return widget(label, *args, key=key, **kwargs)


def values(settings: Iterable[Setting]) -> dict:
    """The current values, ``{setting.name: value}``, remembered for the other pages."""
    store, ss = _store(), st.session_state
    out = {}
    for s in settings:
        value = ss.get(s.key, store.get(s.key, s.default))
        store[s.key] = value
        out[s.name] = value
    return out


def reset(settings: Iterable[Setting], new: dict) -> None:
    """Set settings by name (a button callback: the blog's or the paper's values)."""
    store, ss = _store(), st.session_state
    for s in settings:
        if s.name in new:
            ss[s.key] = store[s.key] = new[s.name]


def link_names(settings: Iterable[Setting]) -> set[str]:
    """The query-string names of these settings (what a page accepts in its link)."""
    return {s.link for s in settings if s.link}


def sync_link(settings: Iterable[Setting], current: dict) -> None:
    """Write the current values into the address bar (only when they changed)."""
    want = {s.link: format_value(current[s.name]) for s in settings if s.link}
    qp = st.query_params
    if any(qp.get(k) != v for k, v in want.items()):
        qp.update(want)


# --------------------------------------------------------------------------- loss parameters
def loss_params(key: str, scope: str = "param") -> dict:
    """A loss's parameters as its own page left them (the blog's defaults if never set)."""
    spec = get(key)
    store, ss = _store(), st.session_state
    out = {}
    for s in loss_settings(spec, scope):
        raw = ss.get(s.key, store.get(s.key, s.default))
        try:
            out[s.name] = spec.param(s.name).clamp(raw)
        except (TypeError, ValueError):
            out[s.name] = s.default
    return out


def all_loss_params(keys: Iterable[str] = ALL_KEYS) -> dict[str, dict]:
    """Every loss's parameters as its page left them: what the compare page scores with."""
    return {k: loss_params(k) for k in keys}
