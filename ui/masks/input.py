"""The mask input shared by every loss page: presets, painting and upload.

Public API (what pages call)::

    y_true, y_pred = get_masks()   # float32 (256, 256) in [0, 1], the same on every page
    get_mask_info()                # {"source": "preset" | "paint" | "upload", "preset": key | None, "notes": [...]}
    render_mask_input()            # the whole input section; call it outside any fragment
    masks_version()                # +1 whenever a mask changes

How it works. The masks live in ``st.session_state`` (one dict, page independent). Each mask
also has a *base*: the mask that was on its canvas when the canvas was created. A canvas shows
its base (drawn into its ``background_image``) and the learner's strokes on top; after every
stroke the mask is recomputed as strokes-over-base by ``imageio.canvas_to_mask``. So the
toolbar's undo / redo / reset act on the strokes and the stored mask follows them (reset goes
back to the base, i.e. to the last preset, upload or clear).

Loading a preset or an upload replaces the base and starts a new canvas (a new widget key
and a new ``initial_drawing``). When a canvas comes back empty although its mask has strokes
(the learner went to another page and back, where Streamlit created a fresh widget), the
strokes are first folded into the base, so nothing painted is lost.
"""

from __future__ import annotations

import functools
import hashlib
import io

import numpy as np
import streamlit as st
from PIL import Image

from ..i18n import formatter, render, t
from ..runtime import links
from ..runtime.link_codec import quantise
from ..widgets import downloads, projector
from . import imageio, presets
from .imageio import ROLE_RGB, SIZE, UploadError

__all__ = [
    "SIZE",
    "get_masks",
    "get_mask_info",
    "render_mask_input",
    "masks_version",
    "masks_digest",
    "set_masks",
    "select_preset",
]

ROLES = ("true", "pred")
_STATE = "_segloss_masks"
KEY_PREFIX = "_segloss_mask_"  # prefix of the widget keys of this section
_K = KEY_PREFIX
#: The pictures a canvas can show under the masks (names: ``masks.scenes.<key>``).
SCENES = ("cells", "scan", "plain")


# --------------------------------------------------------------------------- state
def _frozen(a: np.ndarray) -> np.ndarray:
    """A read-only mask on the 1/255 grid.

    Every mask of the app lives on that grid (presets and 8-bit uploads already do, a
    canvas stroke's soft edge is rounded to it), so a link carries the masks exactly and
    a shared board shows the same loss to every printed digit.
    """
    a = np.ascontiguousarray(quantise(a), dtype=np.float32)
    a.setflags(write=False)
    return a


def _digest(a: np.ndarray | None) -> str:
    if a is None:
        return "-"
    return hashlib.blake2b(np.ascontiguousarray(a).tobytes(), digest_size=8).hexdigest()


def _initial_masks() -> tuple[np.ndarray, np.ndarray, str | None, str]:
    """What a new session starts with: the link's masks or preset, else the default preset.

    Returns ``(y_true, y_pred, preset or None, preset for the scene and the Reload button)``.
    """
    asked = links.masks_from_link(SIZE, presets.preset_keys())
    if asked is not None and asked[2] is None:
        return asked[0], asked[1], None, presets.DEFAULT_PRESET
    key = asked[2] if asked is not None else presets.DEFAULT_PRESET
    t, p = presets.load_preset(key)
    return t, p, key, key


def _new_state() -> dict:
    t, p, preset, key = _initial_masks()
    info = presets.preset_info(key)
    s = {
        "y": {"true": _frozen(t), "pred": _frozen(p)},
        "base": {},
        "gen": {"true": 0, "pred": 0},
        "applied": {"true": None, "pred": None},  # digest of the last canvas image used
        "origin": {},
        "source": "preset",
        "version": 0,
        "scene": info.get("background", presets.DEFAULT_BACKGROUND),
        "last_preset": key,
        "bg_cache": {},
        "uploads": {r: {"file_id": None, "error": None} for r in ROLES},
    }
    s["base"] = dict(s["y"])
    if preset is None:
        s["source"] = "link"
        s["origin"] = {r: {"kind": "link", "preset": None, "notes": []} for r in ROLES}
    else:
        s["origin"] = {r: {"kind": "preset", "preset": preset, "notes": []} for r in ROLES}
    return s


def _state() -> dict:
    ss = st.session_state
    if _STATE not in ss:
        ss[_STATE] = _new_state()
    return ss[_STATE]


def get_masks() -> tuple[np.ndarray, np.ndarray]:
    """``(y_true, y_pred)``: read-only float32 (256, 256) arrays in [0, 1]."""
    s = _state()
    return s["y"]["true"], s["y"]["pred"]


def link_fields() -> dict:
    """What the page's link says about the masks (see :func:`ui.runtime.links.mask_fields`)."""
    s = _state()
    t, p = s["y"]["true"], s["y"]["pred"]
    return links.mask_fields(t, p, get_mask_info()["preset"], s["last_preset"])


def get_mask_info() -> dict:
    """Where the current masks come from.

    ``source`` is how the masks last changed ("preset", "paint" or "upload"); ``preset`` is the
    preset's key while both masks are still that preset, else None; ``notes`` say how uploaded
    files were read.
    """
    s = _state()
    o = s["origin"]
    same_preset = (
        o["true"]["kind"] == o["pred"]["kind"] == "preset"
        and o["true"]["preset"] == o["pred"]["preset"]
    )
    notes = [n for r in ROLES for n in o[r]["notes"]]
    return {
        "source": s["source"],
        "preset": o["true"]["preset"] if same_preset else None,
        "notes": notes,
    }


def source_words() -> str:
    """Where the masks came from, in words for a slide title: the preset, or the learner."""
    preset = get_mask_info().get("preset")
    if preset:
        return t("downloads.masks_preset", name=presets.preset_text(preset, "title"))
    return t("downloads.masks_own")


def masks_version() -> int:
    """A counter that grows by one (at least) whenever either mask changes."""
    return int(_state()["version"])


def pair_digest(y_true: np.ndarray, y_pred: np.ndarray) -> str:
    """A content hash of two masks (their shapes and float32 pixels)."""
    h = hashlib.blake2b(digest_size=16)
    for a in (y_true, y_pred):
        a = np.ascontiguousarray(a, dtype=np.float32)
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def masks_digest() -> str:
    """A content hash of the two masks, the key of every cached computation on them.

    It is computed once per mask version, not on every rerun, and depends only
    on the pixels, so caches shared between sessions stay correct.
    """
    s = _state()
    cached = s.get("digest")
    if cached is None or cached[0] != s["version"]:
        cached = (s["version"], pair_digest(s["y"]["true"], s["y"]["pred"]))
        s["digest"] = cached
    return cached[1]


def set_masks(
    y_true: np.ndarray | None = None,
    y_pred: np.ndarray | None = None,
    *,
    source: str = "paint",
    preset: str | None = None,
    notes: dict[str, list[str]] | None = None,
) -> None:
    """Replace one or both masks (and what their canvases show). None leaves a mask as it is."""
    s = _state()
    notes = notes or {}
    changed = False
    for role, new in (("true", y_true), ("pred", y_pred)):
        if new is None:
            continue
        arr = np.asarray(new, np.float32)
        if arr.shape != (SIZE, SIZE):
            raise ValueError(f"a mask must be {SIZE} x {SIZE}, got {arr.shape}")
        if role == "true":
            arr = (arr >= 0.5).astype(np.float32)
        arr = _frozen(arr)
        s["y"][role] = arr
        s["base"][role] = arr
        s["gen"][role] += 1
        s["applied"][role] = None
        s["origin"][role] = {"kind": source, "preset": preset, "notes": list(notes.get(role, []))}
        changed = True
    if changed:
        s["source"] = "paint" if source == "empty" else source
        s["version"] += 1


def select_preset(key: str) -> None:
    """Load preset ``key`` into both canvases (and its background scene)."""
    t, p = presets.load_preset(key)
    info = presets.preset_info(key)
    s = _state()
    s["scene"] = info.get("background", s["scene"])
    s["last_preset"] = key
    set_masks(t, p, source="preset", preset=key)


# --------------------------------------------------------------------------- canvas
def _scene_array(name: str) -> np.ndarray:
    if name == "plain":
        return np.full((SIZE, SIZE), imageio.ZERO_RGB[0], np.uint8)
    return presets.load_background(name)


def _background_bytes(role: str) -> bytes:
    """The canvas picture of ``role``, re-encoded only when what it shows has changed."""
    s = _state()
    base = s["base"][role]
    contour = s["y"]["true"] if role == "pred" else None
    sig = (s["scene"], _digest(base), _digest(contour))
    hit = s["bg_cache"].get(role)
    if hit is not None and hit[0] == sig:
        return hit[1]
    data = imageio.background_image(
        _scene_array(s["scene"]), base, role, contour=contour, fmt="JPEG"
    )
    s["bg_cache"][role] = (sig, data)
    return data


def _canvas_key(role: str) -> str:
    return f"{_K}canvas_{role}_{_state()['gen'][role]}"


def _apply_canvas_image(role: str, png: bytes | None) -> bool:
    """Fold the canvas's picture into the mask of ``role``; True when the mask changed."""
    s = _state()
    if png is None:
        return False
    dig = hashlib.blake2b(png, digest_size=12).hexdigest()
    if dig == s["applied"][role]:
        return False
    s["applied"][role] = dig
    try:
        rgba = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    except Exception:  # noqa: BLE001 - a bad frame from the browser is ignored
        return False
    new = imageio.canvas_to_mask(rgba, s["base"][role], one_rgb=ROLE_RGB[role])
    if role == "true":
        new = (new >= 0.5).astype(np.float32)
    if np.array_equal(new, s["y"][role]):
        return False
    s["y"][role] = _frozen(new)
    s["origin"][role] = {"kind": "paint", "preset": None, "notes": []}
    s["source"] = "paint"
    s["version"] += 1
    return True


def _fold_strokes(role: str) -> None:
    """Make the current mask the canvas's new base and start a clean canvas."""
    s = _state()
    s["base"][role] = s["y"][role]
    s["gen"][role] += 1
    s["applied"][role] = None


def _draw_canvas(role: str, tool: str, width: int, prob: float) -> None:
    from streamlit_drawable_canvas import st_canvas

    s = _state()
    value = 0.0 if tool == "erase" else (1.0 if role == "true" else prob)
    slot = st.empty()
    for _attempt in range(2):
        gen = s["gen"][role]
        with slot:
            result = st_canvas(
                stroke_width=int(width),
                stroke_color=imageio.stroke_rgb(value, role),
                background_image=_background_bytes(role),
                update_streamlit=True,
                height=SIZE,
                width=SIZE,
                drawing_mode="freedraw",
                # A new generation gets a new initial drawing too, so even a canvas the
                # browser kept alive drops its old strokes.
                initial_drawing={"objects": [], "segloss": f"{role}-{gen}"},
                return_image_data=True,
                key=_canvas_key(role),
            )
        png = result.image_bytes
        if png is None:
            y, base = s["y"][role], s["base"][role]
            if y is not base and not np.array_equal(y, base):
                # A fresh widget (another page, or the section was hidden) shows no strokes,
                # but the mask has some: fold them into the base and draw a new canvas.
                _fold_strokes(role)
                continue
            return
        _apply_canvas_image(role, png)
        return


# --------------------------------------------------------------------------- uploads
def _handle_upload(role: str, uploaded) -> None:
    s = _state()
    up = s["uploads"][role]
    if uploaded is None:
        up["file_id"], up["error"] = None, None
        return
    file_id = getattr(uploaded, "file_id", None) or f"{uploaded.name}:{uploaded.size}"
    if file_id == up["file_id"]:
        return
    up["file_id"], up["error"] = file_id, None
    try:
        mask, notes = imageio.decode_upload(uploaded.getvalue(), uploaded.name, role)
    except UploadError as e:
        up["error"] = e.message  # a Message: shown in whatever language the page speaks
        return
    if all(s["origin"][r]["kind"] != "upload" for r in ROLES):
        s["scene"] = "plain"  # the first upload: a scene of ours would not match the masks
    if role == "true":
        set_masks(y_true=mask, source="upload", notes={"true": notes})
    else:
        set_masks(y_pred=mask, source="upload", notes={"pred": notes})


def _on_scene_change() -> None:
    _state()["scene"] = st.session_state.get(f"{_K}scene") or "plain"


def _upload_panel() -> None:
    s = _state()
    row = st.container(horizontal=True, gap="small")
    for role in ROLES:
        with row.container(width=SIZE + 2, gap="small"):
            f = st.file_uploader(
                t(f"masks.upload_panel.file_{role}"),
                type=["png", "jpg", "jpeg"],
                key=f"{_K}upload_{role}",
                max_upload_size=max(1, imageio.MAX_UPLOAD_BYTES // 2**20),
                help=t(f"masks.upload_panel.file_help_{role}"),
            )
            _handle_upload(role, f)
            err = s["uploads"][role]["error"]
            if err:
                st.error(t("masks.upload_panel.kept", error=render(err)), icon=":material/error:")
    paragraphs = [
        " ".join(render(n) for n in s["origin"][r]["notes"])
        for r in ROLES
        if s["origin"][r]["kind"] == "upload" and s["origin"][r]["notes"]
    ]
    if paragraphs:
        st.info("\n\n".join(paragraphs), icon=":material/info:")
    row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
    with row:
        k = f"{_K}scene"
        st.session_state[k] = s["scene"] if s["scene"] in SCENES else "plain"
        st.selectbox(
            t("masks.upload_panel.scene"),
            list(SCENES),
            format_func=formatter("masks.scenes.{}"),
            key=k,
            on_change=_on_scene_change,
            width=200,
            help=t("masks.upload_panel.scene_help"),
        )


# --------------------------------------------------------------------------- presets
def _on_preset_change() -> None:
    key = st.session_state.get(f"{_K}preset")
    if key:
        select_preset(key)


def _preset_panel() -> None:
    keys = presets.preset_keys()
    info = get_mask_info()
    k = f"{_K}preset"
    st.session_state[k] = _state()["last_preset"]
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        key = st.selectbox(
            t("masks.preset_panel.preset"),
            keys,
            format_func=formatter("masks.presets.{}.title"),
            key=k,
            on_change=_on_preset_change,
            width=240,
            help=t("masks.preset_panel.preset_help"),
        )
        st.button(
            t("masks.preset_panel.reload"),
            icon=":material/restart_alt:",
            key=f"{_K}reload",
            on_click=select_preset,
            args=(key,),
            help=t("masks.preset_panel.reload_help"),
        )
    if projector.is_on():  # the room reads the masks, not their description
        return
    desc = presets.preset_text(key, "description")
    if info["preset"] == key:
        st.caption(desc)
    else:
        st.caption(t("masks.preset_panel.edited", description=desc))


# --------------------------------------------------------------------------- section
def _mask_download(role: str) -> None:
    """This mask as a PNG (built when pressed; the frozen array is bound now, not re-read)."""
    mask = get_masks()[0 if role == "true" else 1]
    downloads.file_button(
        t("downloads.png"),
        functools.partial(imageio.encode_mask_png, mask),
        "ground_truth.png" if role == "true" else "prediction.png",
        "image/png",
        key=f"{_K}download_{role}",
        help=t(f"masks.upload_panel.download_help_{role}"),
    )


def _clear(role: str) -> None:
    z = np.zeros((SIZE, SIZE), np.float32)
    set_masks(**({"y_true": z} if role == "true" else {"y_pred": z}), source="empty")


def _stats_line() -> str:
    y_true, y_pred = get_masks()
    return t(
        "masks.section.stats",
        object=f"{y_true.mean():.1%}",
        mean=f"{y_pred.mean():.3f}",
        above=f"{(y_pred >= 0.5).mean():.1%}",
    )


def render_mask_input() -> None:
    """Draw the mask section: where the masks come from, the brush, and the two canvases.

    Call it once per page, outside any ``st.fragment``: a stroke reruns the whole page, so
    everything computed from the masks follows in the same run. (Making this section a
    fragment of its own was measured: it saves a page run when a brush control moves, but
    adds about 0.15 s to every stroke, which is the far more frequent action.) The canvases
    sit side by side when there is room (about 530 px) and one above the other otherwise.
    """
    _state()
    _mask_section_body()


def _mask_section_body() -> None:
    # the options are keys and the labels come from the catalogs, so a language switch
    # keeps the chosen mode (and the brush tool below)
    mode = st.segmented_control(
        t("masks.section.masks"),
        ["preset", "upload"],
        default="preset",
        format_func=formatter("masks.section.mode_{}"),
        key=f"{_K}mode",
        persist_state="session",
        required=True,
        help=t("masks.section.mode_help"),
        label_visibility="collapsed" if projector.is_on() else "visible",
    )
    if mode == "upload":
        _upload_panel()
    else:
        _preset_panel()

    compact = projector.is_on()
    # folded for a projector: the canvases, not the brush, are what the room must see
    brush_box = (
        st.expander(t("masks.section.brush"), icon=":material/brush:")
        if compact
        else st.container()
    )
    # a small gap keeps the three brush controls on one row at 1280 px, in Korean too
    with brush_box, st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        tool = st.segmented_control(
            t("masks.section.brush"),
            ["paint", "erase"],
            default="paint",
            format_func=formatter("masks.section.tool_{}"),
            key=f"{_K}tool",
            persist_state="session",
            required=True,
            help=t("masks.section.brush_help"),
        )
        width = st.slider(
            t("masks.section.brush_size"),
            2,
            60,
            18,
            step=1,
            key=f"{_K}width",
            persist_state="session",
            width=150,
            help=t("masks.section.brush_size_help"),
        )
        prob = st.slider(
            t("masks.section.brush_probability"),
            0.05,
            1.0,
            1.0,
            step=0.05,
            key=f"{_K}prob",
            persist_state="session",
            disabled=tool == "erase",
            width=150,
            help=t("masks.section.brush_probability_help"),
        )

    with st.container(horizontal=True, gap="small"):
        for role in ROLES:
            with st.container(width=SIZE + 2, gap="small"):
                # Short titles: the canvas toolbar pops up over the right end of this line.
                st.markdown(f"**{render(imageio.ROLE_NAME[role])}**")
                _draw_canvas(role, tool or "paint", width, prob)
                with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                    st.button(
                        t("masks.section.clear"),
                        key=f"{_K}clear_{role}",
                        icon=":material/delete_sweep:",
                        on_click=_clear,
                        args=(role,),
                        help=t(f"masks.section.clear_help_{role}"),
                    )
                    if role == "true":
                        painted = f"{0 if tool == 'erase' else 1}"
                    else:
                        painted = f"{0.0 if tool == 'erase' else prob:.2f}"
                    st.caption(t("masks.section.paints", value=painted))
                    _mask_download(role)
    # one caption, not two: every element on the page costs the browser a
    # little on each rerun, even of a fragment elsewhere
    if not compact:
        st.caption(t("masks.section.colours") + "\n\n" + _stats_line())
