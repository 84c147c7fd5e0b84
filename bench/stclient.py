"""A small client that speaks Streamlit's own websocket protocol, as a browser tab does.

It connects to ``/_stcore/stream``, asks for a script run with a ``BackMsg.rerun_script``
(a ``ClientState``: query string, page name, widget states), reads the ``ForwardMsg``
replies (deltas with elements, ``page_info_changed``, ``script_finished``) and keeps what a
tab keeps: the elements by delta path, the widgets by id (with the fragment each came in),
the page's script hash and the current query string. No JavaScript runs, so no browser is
needed and one process can hold dozens of sessions (one websocket each, asyncio).

    async with StreamlitSession("http://127.0.0.1:8501/tversky?alpha=0.3") as s:
        opened = await s.open()                      # seconds until the first full run ended
        slider = s.loss_slider("alpha")              # a live slider, else an st.slider
        move = await s.move_loss_slider(slider, 0.4) # its release event, or a new value
        move.value_seconds, move.figures_seconds     # new metric text, last plotly chart

How the browser sends a widget change (Streamlit 1.67, ``WidgetStateManager``): a
``rerun_script`` whose ``widget_states`` carry ``WidgetState(id=..., <value field>)``
and, when the widget was drawn inside a fragment, that fragment's id, so only the fragment
reruns. A slider's value is always a ``double_array_value`` (one number or two); a checkbox
is ``bool_value``; a select slider or radio an ``int_value`` / ``string_value``; a button a
``trigger_value``. This client sends the states it has set (the server keeps every other
widget's last value), and sends triggers once.

Custom components (``st.components.v2.component``): the component's state is a
``json_value`` on the component's element id, and its events (``setTriggerValue(name, v)``
in JavaScript) are one ``json_trigger_value`` on the id ``trigger_id(element_id)`` holding
``[{"event": name, "value": v}]``. ``set_component_state`` and ``fire_component_event``
send those. A ``responder`` (``StreamlitSession(responders=[...])``) plays a component's
JavaScript: called with each component element when a run has ended, it returns an event
to fire or None. ``redraw_responder`` plays this app's ``ui/widgets/redraw.py`` component,
which asks for the figures once the new value shows: without it a slider move would never
bring its figures.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: script_finished statuses that end a run which showed its page (not one cut short by a rerun)
_RUN_DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
_FULL_RUN_DONE = ForwardMsg.FINISHED_SUCCESSFULLY


def run_blocking(coroutine):
    """``asyncio.run(coroutine)``, also where this thread already runs an event loop.

    Playwright's sync API keeps a loop running in the main thread for as long as its
    browser lives (a session-wide test fixture), and ``asyncio.run`` refuses to start a
    second one there; a thread of its own has no loop yet.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class ProtocolError(RuntimeError):
    """The server answered with something a browser would show as an error."""


@dataclass
class Widget:
    """A widget as the last delta drew it."""

    id: str
    kind: str  # the Element field: "slider", "checkbox", "bidi_component", ...
    label: str
    fragment_id: str
    proto: object  # the element's message (Slider, BidiComponent, ...)


@dataclass
class Run:
    """What one script run sent, with arrival times on the client's monotonic clock."""

    started: float
    finished: float | None = None
    status: int | None = None
    elements: list[tuple[float, str, object]] = field(default_factory=list)  # (t, kind, msg)
    exceptions: list[str] = field(default_factory=list)

    def times_of(self, kind: str) -> list[float]:
        return [t for t, k, _ in self.elements if k == kind]


@dataclass
class Move:
    """The outcome of one widget change, in seconds from sending it."""

    value_seconds: float | None  # first metric whose text changed (None: no metric changed)
    figures_seconds: float | None  # last plotly chart of the run that brought them
    runs: list[Run]

    @property
    def value_changed(self) -> bool:
        return self.value_seconds is not None


Responder = Callable[["StreamlitSession", Widget], tuple[str, object] | None]


#: The component name of the app's live parameter sliders (ui/widgets/live_slider.py).
LIVE_SLIDER = "segloss_live_slider"


def component_data(widget: Widget) -> dict:
    """The JSON data a components-v2 element was drawn with (``{}`` when it has none)."""
    body = widget.proto
    which = body.WhichOneof("data")
    if which == "json":
        return json.loads(body.json or "{}")
    if which == "mixed":
        return json.loads(body.mixed.json or "{}")
    return {}


def loss_slider_value(widget: Widget, session: StreamlitSession) -> float:
    """Where a loss slider stands now (a live slider's current step, or the slider's value)."""
    if widget.kind == "bidi_component":
        data = component_data(widget)
        return data["values"][data["index"]]
    return slider_value(widget, session)[0]


def loss_slider_choices(widget: Widget, session: StreamlitSession) -> list[float]:
    """The values a loss slider can move to from where it stands now."""
    if widget.kind == "bidi_component":
        data = component_data(widget)
        values, now = data.get("values", []), data.get("index")
        return [v for i, v in enumerate(values) if i != now]
    return [v for v in slider_values(widget) if [v] != slider_value(widget, session)]


def trigger_id(component_id: str, event_group: str = "events") -> str:
    """The widget id on which a components-v2 element's events travel (Streamlit's own rule)."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id

    return _make_trigger_id(component_id, event_group)


def redraw_responder(session: StreamlitSession, widget: Widget) -> tuple[str, object] | None:
    """Play ``ui/widgets/redraw.py``'s JavaScript: fire ``go`` with each new token once."""
    if not widget.proto.component_name.endswith("segloss_redraw") or not widget.proto.json:
        return None
    data = json.loads(widget.proto.json)
    sent = session.component_memory.setdefault(widget.proto.component_name, {})
    if sent.get(data.get("page")) == data.get("token"):
        return None
    sent[data.get("page")] = data.get("token")
    return ("go", data.get("token"))


class StreamlitSession:
    """One browser tab's websocket session with a Streamlit server."""

    def __init__(
        self,
        url: str,
        responders: list[Responder] | None = None,
        timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(url)
        path = parts.path.strip("/")
        # the page is the last path segment; anything before it is the server's base path
        base, _, page = path.rpartition("/") if "/" in path else ("", "", path)
        self.base = f"/{base}" if base else ""
        self.page_name = page
        self.query_string = parts.query
        self.url = url
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{parts.netloc}{self.base}/_stcore/stream"
        self.http_url = f"{parts.scheme}://{parts.netloc}{self.base}"
        self.responders = [redraw_responder] if responders is None else responders
        self.timeout = timeout
        self.component_memory: dict = {}
        self.elements: dict[tuple, tuple[str, object]] = {}
        self.widgets: dict[str, Widget] = {}
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds (st.fragment run_every)
        self.session_id = ""
        self.page_script_hash = ""
        self._states: dict[str, WidgetState] = {}  # sticky values this client has set
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._run: Run | None = None
        self._finished: asyncio.Queue[Run] = asyncio.Queue()
        self._closed_reason: str | None = None

    # ------------------------------------------------------------------ connection
    async def __aenter__(self) -> StreamlitSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        self._ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout
        )
        self._reader = asyncio.create_task(self._read_forever(), name="st-reader")

    async def close(self) -> None:
        """Close the websocket politely (a tab being closed)."""
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass

    def abort(self) -> None:
        """Drop the TCP connection without a closing handshake (a tab killed mid-run)."""
        if self._ws is not None:
            self._ws.transport.abort()
        if self._reader is not None:
            self._reader.cancel()

    # ------------------------------------------------------------------ reading
    async def _read_forever(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg, time.monotonic())
        except websockets.ConnectionClosed as exc:
            self._closed_reason = f"connection closed ({exc.rcvd.code if exc.rcvd else 'no code'})"
        except Exception as exc:  # noqa: BLE001 - a waiter reports it instead of hanging
            self._closed_reason = f"{type(exc).__name__}: {exc}"
        finally:
            if self._closed_reason is None:
                self._closed_reason = "connection closed"
            self._finished.put_nowait(Run(started=0.0, status=-1))  # wake any waiter

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
            self.page_script_hash = msg.new_session.page_script_hash or self.page_script_hash
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._on_element(msg, now)
        elif kind == "script_finished":
            run = self._run or Run(started=now)
            run.finished, run.status = now, msg.script_finished
            self._run = None
            self._finished.put_nowait(run)
        elif kind == "auto_rerun":  # an st.fragment(run_every=...): the browser's timer
            self.auto_reruns[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.auto_reruns.clear()
        elif kind == "ref_hash":
            raise ProtocolError("the server sent a cached message by reference")

    def _on_element(self, msg: ForwardMsg, now: float) -> None:
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        body = getattr(element, kind)
        self.elements[tuple(msg.metadata.delta_path)] = (kind, body)
        if self._run is None:
            self._run = Run(started=now)
        self._run.elements.append((now, kind, body))
        if kind == "exception":
            self._run.exceptions.append(f"{body.type}: {body.message}")
        widget_id = getattr(body, "id", "") if kind != "plotly_chart" else ""
        if widget_id:
            label = getattr(body, "label", "") or getattr(body, "component_name", "")
            self.widgets[widget_id] = Widget(widget_id, kind, label, msg.delta.fragment_id, body)
            if getattr(body, "set_value", False):  # the script set it: the server's value wins
                self._states.pop(widget_id, None)

    # ------------------------------------------------------------------ finding things
    def find(self, kind: str, label: str | None = None) -> list[Widget]:
        """Widgets of an Element kind, optionally whose label contains ``label`` or whose id is it."""
        return [
            w
            for w in self.widgets.values()
            if w.kind == kind and (label is None or label in w.label or label == w.id)
        ]

    def loss_slider(self, label: str) -> Widget:
        """A loss parameter's control: the live slider (ui/widgets/live_slider.py) whose
        parameter is ``label`` (or whose label contains it), else an ``st.slider``."""
        for w in self.widgets.values():
            if w.kind == "bidi_component" and w.label == LIVE_SLIDER:
                data = component_data(w)
                if data.get("setting", "").rsplit(":", 1)[-1] == label or label in data.get(
                    "label", ""
                ):
                    return w
        return self.slider(label)

    async def move_loss_slider(self, widget: Widget, value: float) -> Move:
        """Move a loss slider as a hand does: a live slider's release event, or a new value."""
        if widget.kind == "bidi_component":
            return await self.fire_component_event(widget, "change", value)
        return await self.set_widget(widget, [value])

    def slider(self, label: str | None = None) -> Widget:
        found = self.find("slider", label)
        if not found:
            labels = [w.label for w in self.widgets.values() if w.kind == "slider"]
            raise LookupError(f"no slider labelled {label!r}; sliders here: {labels}")
        return found[0]

    def metrics(self) -> dict[tuple, str]:
        """Every metric on the page now: delta path -> its shown text."""
        return {path: body.body for path, (kind, body) in self.elements.items() if kind == "metric"}

    def exceptions(self) -> list[str]:
        return [f"{b.type}: {b.message}" for k, b in self.elements.values() if k == "exception"]

    # ------------------------------------------------------------------ sending
    def _client_state(self, fragment_id: str = "", first: bool = False) -> BackMsg:
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query_string
        cs.page_name = self.page_name if first or not self.page_script_hash else ""
        cs.page_script_hash = "" if first else self.page_script_hash
        cs.fragment_id = fragment_id
        cs.context_info.url = self.url
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-US"
        cs.widget_states.widgets.extend(self._states.values())
        return back

    async def _send(self, back: BackMsg) -> float:
        sent = time.monotonic()
        await self._ws.send(back.SerializeToString())
        return sent

    async def _next_run(self, deadline: float) -> Run:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no script run ended within {self.timeout:.0f} s")
        try:
            run = await asyncio.wait_for(self._finished.get(), left)
        except TimeoutError:
            raise TimeoutError(f"no script run ended within {self.timeout:.0f} s") from None
        if run.status == -1:
            raise ConnectionError(self._closed_reason or "connection closed")
        if run.exceptions:
            raise ProtocolError("; ".join(run.exceptions))
        return run

    async def _settle(self, sent: float) -> list[Run]:
        """Runs until the page is quiet: each ended run, then what the responders ask for."""
        deadline = sent + self.timeout
        runs = []
        while True:
            run = await self._next_run(deadline)
            runs.append(run)
            if run.status not in _RUN_DONE:
                continue  # cut short for a rerun; the next one follows
            if not await self._respond():
                return runs

    async def _respond(self) -> bool:
        """Let the responders play their components; True when one asked for a rerun."""
        for widget in list(self.widgets.values()):
            if widget.kind != "bidi_component":
                continue
            for responder in self.responders:
                event = responder(self, widget)
                if event is not None:
                    await self.fire_component_event(widget, *event, wait=False)
                    return True
        return False

    async def open(self) -> float:
        """Ask for the page's first run; seconds until it (and what it asked for) ended."""
        sent = await self._send(self._client_state(first=True))
        runs = await self._settle(sent)
        if not any(r.status == _FULL_RUN_DONE for r in runs):
            raise ProtocolError("the page never finished a full run")
        return runs[-1].finished - sent

    async def auto_rerun(self) -> list[Run]:
        """Play the browser's timer once: rerun every polling fragment the page asked for."""
        runs = []
        for fragment_id in list(self.auto_reruns):
            back = self._client_state(fragment_id)
            back.rerun_script.is_auto_rerun = True
            runs += await self._settle(await self._send(back))
        return runs

    async def rerun(self, fragment_id: str = "") -> list[Run]:
        """A rerun with the current widget states (the "R" key of a browser tab)."""
        return await self._settle(await self._send(self._client_state(fragment_id)))

    async def set_widget(self, widget: Widget, value, field_name: str | None = None) -> Move:
        """Set a widget's value as the browser does and time what follows.

        ``field_name`` is the WidgetState field; by default it follows the widget's kind
        (a slider takes a list of floats as ``double_array_value``).
        """
        state = WidgetState(id=widget.id)
        name = field_name or _VALUE_FIELD.get(widget.kind)
        if name is None:
            raise ValueError(f"say which WidgetState field a {widget.kind} takes (field_name=)")
        _fill(state, name, value)
        if name not in ("trigger_value", "json_trigger_value"):
            self._states[widget.id] = state
        before = self.metrics()
        back = self._client_state(widget.fragment_id)
        if name in ("trigger_value", "json_trigger_value"):
            back.rerun_script.widget_states.widgets.append(state)
        sent = await self._send(back)
        runs = await self._settle(sent)
        return _timed_move(sent, runs, before)

    async def set_component_state(self, widget: Widget, state: dict) -> Move:
        """Set a components-v2 element's whole state (its ``json_value``)."""
        return await self.set_widget(widget, json.dumps(state), "json_value")

    async def fire_component_event(self, widget: Widget, event: str, value, wait: bool = True):
        """Fire ``setTriggerValue(event, value)`` of a components-v2 element."""
        state = WidgetState(id=trigger_id(widget.id))
        state.json_trigger_value = json.dumps([{"event": event, "value": value}])
        before = self.metrics()
        back = self._client_state(widget.fragment_id)
        back.rerun_script.widget_states.widgets.append(state)
        sent = await self._send(back)
        if wait:
            return _timed_move(sent, await self._settle(sent), before)
        return sent

    async def click(self, button: Widget) -> Move:
        """Press an ``st.button`` (a one-shot trigger)."""
        return await self.set_widget(button, True, "trigger_value")


_VALUE_FIELD = {
    "slider": "double_array_value",
    "checkbox": "bool_value",
    "number_input": "double_value",
    "text_input": "string_value",
    "button": "trigger_value",
    "bidi_component": "json_value",
}


def _fill(state: WidgetState, name: str, value) -> None:
    if name == "double_array_value":
        state.double_array_value.data.extend(float(v) for v in value)
    elif name == "int_array_value":
        state.int_array_value.data.extend(int(v) for v in value)
    elif name == "string_array_value":
        state.string_array_value.data.extend(str(v) for v in value)
    else:
        setattr(state, name, value)


def _timed_move(sent: float, runs: list[Run], before: dict[tuple, str]) -> Move:
    """When the changed metric and the figures arrived, from the runs that followed a change."""
    value_at = None
    for run in runs:
        for t, kind, body in run.elements:
            if kind == "metric" and value_at is None and body.body not in before.values():
                value_at = t
    figure_runs = [r for r in runs if r.times_of("plotly_chart")]
    figures_at = figure_runs[-1].times_of("plotly_chart")[-1] if figure_runs else None
    return Move(
        None if value_at is None else value_at - sent,
        None if figures_at is None else figures_at - sent,
        runs,
    )


def slider_values(widget: Widget) -> list[float]:
    """Every value a slider can take (min to max by step)."""
    s = widget.proto
    n = int(round((s.max - s.min) / s.step))
    return [round(s.min + i * s.step, 10) for i in range(n + 1)]


def slider_value(widget: Widget, session: StreamlitSession | None = None) -> list[float]:
    """The slider's value: the one this client set last, else the one it was drawn with.

    (A slider's element carries ``value`` only when the script set it; after a move by
    the user the element still shows its first default.)
    """
    sent = session._states.get(widget.id) if session is not None else None
    if sent is not None:
        return list(sent.double_array_value.data)
    return list(widget.proto.value) or list(widget.proto.default)
