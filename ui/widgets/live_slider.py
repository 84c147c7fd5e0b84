"""A parameter slider that shows the loss while it is dragged (a components v2 component).

Since Streamlit 1.49 an ``st.slider`` reports its value only when the thumb is
released, so the learner drags blind. This slider carries, with the page, the
loss of the current masks at every step of its range (a *slice*,
:mod:`teaching.slices`, one batched call on the server) and, for the named views,
the numbers those views show at every step. While the thumb moves, the browser
only looks up the step under the pointer, once per animation frame: the value,
the loss and a marker on a small "loss against this parameter" curve (and the
live lines and bars of the page's views) change with the hand, with no loss
maths in JavaScript and no message to the server. On release (or on a key
press: arrows, Page Up / Down, Home / End; a held key sends once more when it is
let go) the value goes back to Python, the fragment that holds the slider
reruns, and the page shows exactly that value, computed by the public loss
functions. The thumb is a ``role=slider`` element with ``aria-valuemin``,
``-valuemax``, ``-valuenow`` and ``-valuetext`` (the value and its loss).

Where the value lives
---------------------
In ``st.session_state[<setting key>]`` as a plain float, the same key the
``st.slider`` used before (``param:<loss>:<name>``, see
:mod:`ui.runtime.params`). No widget owns that key, so links, presets, the blog /
paper buttons (:func:`ui.runtime.params.reset`) and AppTest tests
(``at.session_state["param:focal:gamma"] = 1.5``) set it directly; the
component is drawn from it on every run. The component itself has its own
key, :func:`component_key` (``live:<setting key>``).

How the value travels back (for a protocol client such as bench/stclient.py)
-------------------------------------------------------------------------
The script's ``ForwardMsg`` delta holds an element ``bidi_component``
(``streamlit/proto/BidiComponent.proto``) with ``component_name ==
"segloss_live_slider"`` and ``id`` =
``"$$ID-<hash>-live:<setting key>"`` (the id ends with the component key, as a
keyed widget's id does). Its ``json`` data (the ``mixed.json`` field when
Streamlit packs it as mixed data) is the payload of :func:`payload`:
``values`` (every step), ``index`` (the current one), ``setting`` (the
setting key) among others. To move the slider, send a ``rerun_script``
BackMsg whose ``widget_states`` hold one ``WidgetState``::

    id = "$$STREAMLIT_INTERNAL_KEY_" + element.id + "__events"
    json_trigger_value = '[{"event": "change", "value": 2.3}]'

with the value one of ``values`` (another number is snapped to the nearest
step; a non-number is ignored with a note in the server log), and
``fragment_id`` set to the id of the fragment the element was delivered in
(``ForwardMsg.delta.fragment_id``; on a loss page the value fragment),
exactly as the browser does for a trigger. The callback copies the value into
the setting key, and the rerun's delta carries the new metric and a
``bidi_component`` whose ``index`` points at that value.
"""

from __future__ import annotations

import functools
import logging
import math
import re

import streamlit as st

from teaching.registry import Param, format_value, nearest_step
from teaching.slices import Slice

COMPONENT_NAME = "segloss_live_slider"
EVENT = "change"
_LOG = logging.getLogger(__name__)


def component_key(setting_key: str) -> str:
    """The component's own key (its trigger travels under this; the value does not)."""
    # "__" separates a component's id from its event name; a key must not contain it
    return "live:" + re.sub("_{2,}", "_", setting_key)


def loss_text(value: float) -> str:
    """A loss as the page's metric writes it (so drag and release show the same text)."""
    return f"{value:.4f}" if math.isfinite(value) else "-"


def _curve(losses: tuple[float, ...]) -> list[float | None]:
    """The losses scaled to [0, 1] for the small curve (None where not finite)."""
    finite = [v for v in losses if math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    span = hi - lo if hi > lo else 1.0
    return [(v - lo) / span if math.isfinite(v) else None for v in losses]


def payload(
    setting_key: str,
    p: Param,
    value,
    sl: Slice,
    *,
    label: str,
    help_text: str,
    loss_label: str,
    extras: dict | None = None,
) -> dict:
    """Everything the browser needs for one live slider, ready to look up per step.

    ``extras`` (optional) holds what the page's named views show at each step:
    ``{"lines": [[text per step], ...], "bars": [{"label", "color", "fill": [0..1
    per step], "texts": [per step]}, ...], "plot": {"title", "context": [svg points],
    "points": [svg points per step]}, "map": {"title", "image": data URL, "marks":
    [[left %, top %] per step]}}`` (each part optional; the plot's viewBox is 200 x 40).
    """
    return {
        "setting": setting_key,
        "label": label,
        "help": help_text,
        "loss_label": loss_label,
        "values": list(sl.values),
        "texts": [format_value(v) for v in sl.values],
        "loss_texts": [loss_text(v) for v in sl.losses],
        "curve": _curve(sl.losses),
        "index": sl.index_of(value),
        "extras": extras or {},
    }


def snap(p: Param, raw) -> float:
    """The step nearest to a value sent by the browser; ValueError for what is not a number."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(f"{p.name}: not a number: {raw!r}")
    return nearest_step(p, raw)


def _on_change(setting_key: str, p: Param) -> None:
    """The trigger's callback: the value the browser sent becomes the setting's value."""
    state = st.session_state.get(component_key(setting_key))
    raw = getattr(state, EVENT, None) if state is not None else None
    if raw is None:
        return
    try:
        st.session_state[setting_key] = snap(p, raw)
    except (TypeError, ValueError) as err:
        # a malformed message (not from our page): keep the value, say why in the log
        _LOG.warning("live slider %s ignored a value: %s", setting_key, err)


@functools.cache
def _component():
    return st.components.v2.component(COMPONENT_NAME, html=_HTML, css=_CSS, js=_JS)


def live_slider(setting_key: str, p: Param, data: dict) -> None:
    """Draw the live slider for ``p`` from ``data`` (:func:`payload`)."""
    _component()(
        key=component_key(setting_key),
        data=data,
        height="content",
        on_change_change=functools.partial(_on_change, setting_key, p),
    )


_HTML = """
<div class="live" part="live">
  <div class="head">
    <span class="label"></span><span class="help" aria-hidden="true">?</span>
    <span class="sr" id="live-help"></span>
    <span class="value"></span>
  </div>
  <div class="track"><div class="rail"></div><div class="fill"></div>
    <div class="thumb" role="slider" tabindex="0" aria-describedby="live-help"></div></div>
  <div class="plot" aria-hidden="true">
    <svg class="curve" viewBox="0 0 200 32" preserveAspectRatio="none">
      <polyline class="line" fill="none"></polyline>
      <line class="guide" y1="0" y2="32"></line>
    </svg>
    <div class="dot"></div>
  </div>
  <div class="readout"><span class="loss-label"></span> <output class="loss"></output></div>
  <div class="extras"></div>
</div>
"""

_CSS = """
.live { font-family: var(--st-font, "Source Sans Pro", sans-serif); color: var(--st-text-color, #31333F);
  /* projector mode (ui/widgets/projector.py) sets the scale: page CSS cannot reach inside */
  font-size: calc(var(--st-base-font-size, 16px) * var(--segloss-live-scale, 1)); padding: 0 0 0.35em 0; user-select: none;
  word-break: keep-all; /* Korean wraps between words, not inside them */ }
.head { display: flex; align-items: baseline; gap: 0.35em; font-size: 0.875em; }
.label { font-weight: 400; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.help { display: inline-flex; width: 0.95em; height: 0.95em; border-radius: 50%; font-size: 0.7em;
  border: 1px solid currentColor; opacity: 0.55; align-items: center; justify-content: center; cursor: help; }
.value { margin-left: auto; font-variant-numeric: tabular-nums; font-weight: 600;
  color: var(--st-primary-color, #FF4B4B); }
.track { position: relative; height: 1.6em; cursor: pointer; touch-action: none; }
.rail, .fill { position: absolute; top: 50%; height: 4px; margin-top: -2px; border-radius: 2px; }
.rail { left: 0; right: 0; background: var(--st-secondary-background-color, #E6EAF1); }
.fill { left: 0; background: var(--st-primary-color, #FF4B4B); }
.thumb { position: absolute; top: 50%; width: 0.9em; height: 0.9em; margin: -0.45em 0 0 -0.45em;
  border-radius: 50%; background: var(--st-primary-color, #FF4B4B); outline: none; }
.thumb:focus-visible { box-shadow: 0 0 0 0.2em rgba(255, 75, 75, 0.5); }
/* one unit of the curve's viewBox is one pixel in height: the dot is placed in pixels */
.plot { position: relative; height: 32px; }
.curve { display: block; width: 100%; height: 32px; overflow: visible; }
.line { stroke: #7F7F7F; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.guide { stroke: #CC79A7; stroke-width: 1; stroke-dasharray: 2 2; vector-effect: non-scaling-stroke; }
.dot { position: absolute; width: 7px; height: 7px; margin: -3.5px 0 0 -3.5px; border-radius: 50%;
  background: #CC79A7; }
.readout { font-size: 0.8em; text-align: right; white-space: nowrap; margin-top: -0.1em; }
.loss { font-variant-numeric: tabular-nums; font-weight: 600; font-size: 0.95em; }
.extras { font-size: 0.8em; line-height: 1.35; }
.extras:empty { display: none; }
.xtitle { opacity: 0.75; margin-top: 0.25em; }
.xplot svg { display: block; width: 100%; height: 44px; }
.xplot .ctx { fill: none; stroke: #BBBBBB; stroke-width: 1; vector-effect: non-scaling-stroke; }
.xplot .cur { fill: none; stroke: #CC79A7; stroke-width: 2.5; vector-effect: non-scaling-stroke; }
.maprow { display: flex; gap: 0.5em; align-items: flex-start; margin-top: 0.3em; }
.mapside { flex: 1 1 auto; min-width: 0; }
.mapside .xtitle { margin-top: 0; }
.frame { flex: 0 0 auto; position: relative; width: 64px; height: 64px; }
.frame img { width: 100%; height: 100%; image-rendering: pixelated; display: block; }
.frame .mark { position: absolute; width: 9px; height: 9px; margin: -5.5px 0 0 -5.5px; border-radius: 50%;
  border: 2px solid white; background: #CC79A7; }
.bar { display: flex; align-items: center; gap: 0.4em; margin-top: 0.15em; }
.bar .name { flex: 0 0 auto; white-space: nowrap; }
.bar .box { flex: 1 1 auto; height: 0.6em; background: var(--st-secondary-background-color, #E6EAF1); }
.bar .in { height: 100%; }
.bar .num { flex: 0 0 2.6em; text-align: right; font-variant-numeric: tabular-nums; }
"""

# One state object per mounted slider (kept on its root, which survives reruns):
# Streamlit calls the default export again whenever the data change.
_JS = """
const SLIDERS = new WeakMap();

function build(root) {
  const q = (sel) => root.querySelector(sel);
  const s = { d: null, index: 0, committed: 0, dragging: false, pendingX: null, frame: 0,
              send: null };
  const el = { value: q('.value'), label: q('.label'), help: q('.help'), sr: q('.sr'), track: q('.track'),
               fill: q('.fill'), thumb: q('.thumb'), line: q('.line'), guide: q('.guide'),
               dot: q('.dot'), loss: q('.loss'), lossLabel: q('.loss-label'), extras: q('.extras') };
  s.el = el;

  const last = () => s.d.values.length - 1;
  const indexAt = (clientX) => {
    const r = el.track.getBoundingClientRect();
    const f = r.width > 0 ? (clientX - r.left) / r.width : 0;
    return Math.round(Math.min(1, Math.max(0, f)) * last());
  };
  const commit = () => {
    if (s.index === s.committed || !s.send) return;
    s.committed = s.index;
    s.send('change', s.d.values[s.index]);
  };
  const frame = () => {
    s.frame = 0;
    if (s.pendingX !== null) { s.index = indexAt(s.pendingX); s.pendingX = null; }
    show(s);
  };
  const schedule = () => { if (!s.frame) s.frame = requestAnimationFrame(frame); };

  el.track.addEventListener('pointerdown', (e) => {
    if (!s.d) return;
    s.dragging = true;
    el.track.setPointerCapture(e.pointerId);
    el.thumb.focus({ preventScroll: true });
    s.pendingX = e.clientX; schedule();
    e.preventDefault();
  });
  el.track.addEventListener('pointermove', (e) => {
    if (!s.dragging) return;
    s.pendingX = e.clientX; schedule();
  });
  const release = (e) => {
    if (!s.dragging) return;
    s.dragging = false;
    if (e.type === 'pointerup') s.index = indexAt(e.clientX);
    show(s);
    commit();
  };
  el.track.addEventListener('pointerup', release);
  el.track.addEventListener('pointercancel', release);
  el.thumb.addEventListener('keydown', (e) => {
    if (!s.d) return;
    const page = Math.max(1, Math.round(last() / 10));
    const moves = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1,
                    PageUp: page, PageDown: -page };
    let next;
    if (e.key in moves) next = s.index + moves[e.key];
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last();
    else return;
    e.preventDefault();
    s.index = Math.min(last(), Math.max(0, next));
    show(s);
    // a held key moves the thumb by lookup only; Python hears once, when it is let go
    if (!e.repeat) commit();
  });
  el.thumb.addEventListener('keyup', commit);
  el.thumb.addEventListener('blur', commit);
  return s;
}

function points(curve) {
  const n = curve.length - 1 || 1;
  return curve.map((y, i) => (y === null ? null : `${(200 * i / n).toFixed(1)},${(31 - 30 * y).toFixed(1)}`))
              .filter((p) => p !== null).join(' ');
}

function setup(s) {
  const { d, el } = s;
  el.label.textContent = d.label;
  el.help.title = d.help;
  el.sr.textContent = d.help;  // what a screen reader says for the "?"
  el.lossLabel.textContent = d.loss_label;
  el.thumb.setAttribute('aria-label', d.label);
  el.thumb.setAttribute('aria-valuemin', String(d.values[0]));
  el.thumb.setAttribute('aria-valuemax', String(d.values[d.values.length - 1]));
  el.line.setAttribute('points', points(d.curve));
  el.extras.textContent = '';
  s.plot = d.extras.plot ? buildPlot(el.extras, d.extras.plot) : null;
  // a map sits to the left of the bars, with its title above them
  let barsBox = el.extras;
  s.map = null;
  if (d.extras.map) {
    const row = el.extras.appendChild(document.createElement('div'));
    row.className = 'maprow';
    s.map = buildMap(row, d.extras.map);
    barsBox = titled(row, 'mapside', d.extras.map.title);
  }
  s.lines = (d.extras.lines || []).map(() => el.extras.appendChild(document.createElement('div')));
  s.bars = (d.extras.bars || []).map((b) => {
    const row = barsBox.appendChild(document.createElement('div'));
    row.className = 'bar';
    row.innerHTML = '<span class="name"></span><span class="box"><span class="in"></span></span>' +
                    '<span class="num"></span>';
    row.querySelector('.name').textContent = b.label;
    const fill = row.querySelector('.in');
    fill.style.display = 'block';
    fill.style.background = b.color;
    return { fill, num: row.querySelector('.num') };
  });
}

const SVG = 'http://www.w3.org/2000/svg';

function titled(parent, cls, title) {
  const box = parent.appendChild(document.createElement('div'));
  box.className = cls;
  box.appendChild(document.createElement('div')).className = 'xtitle';
  box.firstChild.textContent = title;
  return box;
}

function buildPlot(parent, plot) {
  const box = titled(parent, 'xplot', plot.title);
  const svg = box.appendChild(document.createElementNS(SVG, 'svg'));
  svg.setAttribute('viewBox', '0 0 200 40');
  svg.setAttribute('preserveAspectRatio', 'none');
  plot.context.forEach((pts) => {
    const line = svg.appendChild(document.createElementNS(SVG, 'polyline'));
    line.setAttribute('class', 'ctx');
    line.setAttribute('points', pts);
  });
  const cur = svg.appendChild(document.createElementNS(SVG, 'polyline'));
  cur.setAttribute('class', 'cur');
  return cur;
}

function buildMap(parent, map) {
  const frame = parent.appendChild(document.createElement('div'));
  frame.className = 'frame';
  const img = frame.appendChild(document.createElement('img'));
  img.src = map.image;
  img.alt = '';
  const mark = frame.appendChild(document.createElement('div'));
  mark.className = 'mark';
  return mark;
}

// Lookup only: every number shown here was computed by the server for this step.
function show(s) {
  const { d, el, index: i } = s;
  const f = d.values.length > 1 ? i / (d.values.length - 1) : 0;
  el.thumb.style.left = `${100 * f}%`;
  el.fill.style.width = `${100 * f}%`;
  el.value.textContent = d.texts[i];
  el.loss.textContent = d.loss_texts[i];
  el.thumb.setAttribute('aria-valuenow', String(d.values[i]));
  el.thumb.setAttribute('aria-valuetext', `${d.texts[i]} (${d.loss_label} ${d.loss_texts[i]})`);
  const x = 200 * f, y = d.curve[i];
  el.guide.setAttribute('x1', x); el.guide.setAttribute('x2', x);
  el.dot.style.left = `${100 * f}%`;
  el.dot.style.top = `${y === null ? 16 : 31 - 30 * y}px`;
  if (s.plot) s.plot.setAttribute('points', d.extras.plot.points[i]);
  if (s.map) {
    const [left, top] = d.extras.map.marks[i];
    s.map.style.left = `${left}%`; s.map.style.top = `${top}%`;
  }
  (d.extras.lines || []).forEach((texts, k) => { s.lines[k].textContent = texts[i]; });
  (d.extras.bars || []).forEach((b, k) => {
    s.bars[k].fill.style.width = `${100 * b.fill[i]}%`;
    s.bars[k].num.textContent = b.texts[i];
  });
}

export default function ({ data, parentElement, setTriggerValue }) {
  if (!data) return;
  let s = SLIDERS.get(parentElement);
  if (!s) { s = build(parentElement); SLIDERS.set(parentElement, s); }
  s.send = setTriggerValue;
  s.d = data;
  setup(s);
  s.committed = data.index;
  // Python is the authority on the value, except while the hand is still on the thumb
  if (!s.dragging) s.index = data.index;
  show(s);
}
"""
