"""AppTest helpers for the live sliders (ui/widgets/live_slider.py).

AppTest cannot run a component's JavaScript: it sees the live slider as an
element with its data, and moves it by setting the setting's session-state key
(where the value lives, as a browser release would leave it).
"""

from __future__ import annotations

import json

from ui.widgets.live_slider import COMPONENT_NAME


def live_sliders(at) -> dict[str, dict]:
    """The payload of every live slider on the page, by its setting key."""
    out = {}
    for el in at.get("bidi_component"):
        proto = el.proto
        if proto.component_name != COMPONENT_NAME:
            continue
        raw = proto.mixed.json if proto.WhichOneof("data") == "mixed" else proto.json
        data = json.loads(raw)
        out[data["setting"]] = data
    return out


def move(at, key: str, value) -> None:
    """Set a live slider's value, as a release in the browser does, and rerun."""
    at.session_state[key] = value
    at.run()
