"""ui.runtime.link_codec: masks packed into a link and read back exactly, and hostile fields refused."""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from ui.masks import presets
from ui.runtime import link_codec as codec
from ui.runtime import links

SIZE = 256


def painted_pair(seed: int, strokes: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """A ground truth and a prediction painted with a few round brush strokes, with soft edges.

    Drawn at 4x and shrunk, as a canvas's anti-aliased strokes are, so the prediction has
    the in-between values of real painting.
    """
    rng = np.random.default_rng(seed)
    out = []
    for value in (255, int(rng.integers(60, 255))):
        img = Image.new("L", (SIZE * 4, SIZE * 4), 0)
        draw = ImageDraw.Draw(img)
        for _ in range(strokes):
            points = [tuple(int(v) for v in rng.integers(80, SIZE * 4 - 80, 2)) for _ in range(4)]
            draw.line(points, fill=value, width=int(rng.integers(40, 120)), joint="curve")
        small = np.asarray(img.resize((SIZE, SIZE), Image.Resampling.BOX), np.float64) / 255.0
        out.append(small)
    return (out[0] >= 0.5).astype(np.float32), codec.quantise(out[1])


def test_every_preset_round_trips_exactly():
    for key in presets.preset_keys():
        t, p = presets.load_preset(key)
        assert np.array_equal(codec.quantise(p), p), f"{key} is not on the 1/255 grid"
        t2, p2 = codec.unpack_masks(codec.pack_masks(t, p), (SIZE, SIZE))
        assert np.array_equal(t2, (t >= 0.5).astype(np.float32)), key
        assert np.array_equal(p2, p), key
        assert t2.dtype == p2.dtype == np.float32


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    soft=st.floats(0.0, 1.0),
)
def test_random_masks_round_trip_within_the_quantisation(seed, shape, soft):
    rng = np.random.default_rng(seed)
    t = (rng.random(shape) < soft).astype(np.float32)
    p = rng.random(shape)
    p[rng.random(shape) < 0.3] = 0.0
    t2, p2 = codec.unpack_masks(codec.pack_masks(t, p))
    assert np.array_equal(t2, t)
    assert np.max(np.abs(p2 - p)) <= 0.5 / 255 + 1e-7
    assert np.array_equal(p2, codec.quantise(p))


def test_a_painted_pair_of_a_few_strokes_fits_well_within_a_link():
    for seed in range(6):
        t, p = painted_pair(seed)
        assert len(np.unique(p)) > 5, "the painted prediction should have soft edges"
        field = codec.pack_masks(t, p)
        assert len(field) <= links.MAX_MASK_CHARS, (seed, len(field))
        t2, p2 = codec.unpack_masks(field)
        assert np.array_equal(t2, t) and np.array_equal(p2, p)


def test_the_field_is_plain_url_text():
    t, p = presets.load_preset("shifted")
    field = codec.pack_masks(t, p)
    assert set(field) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _header(h=4, w=4, n=0, magic=b"SL", version=codec.VERSION) -> bytes:
    return struct.pack(">2sBHHI", magic, version, h, w, n)


def _hostile_fields() -> dict[str, tuple[str, str]]:
    t, p = presets.load_preset("shifted")
    good = codec.pack_masks(t, p)
    raw = base64.urlsafe_b64decode(good + "=" * (-len(good) % 4))
    bomb = zlib.compress(b"\0" * 50_000_000, 9)  # 50 MB of zeros in about 50 KB
    small_bomb = zlib.compress(b"\0" * 5_000_000, 9)
    runs = zlib.compress(bytes([15]), 9)  # 15 of the 16 pixels
    return {
        "empty": ("", "empty"),
        "not base64": ("%%%%", "damaged"),
        "truncated": (good[: len(good) // 2], "damaged"),
        "one char cut": (good[:-1], "damaged"),
        "flipped byte": (_b64(raw[:40] + bytes([raw[40] ^ 0xFF]) + raw[41:]), "damaged"),
        "too long": ("A" * (codec.MAX_FIELD_CHARS + 1), "too_long"),
        "other magic": (_b64(_header(magic=b"XX") + b"\0" * 8), "foreign"),
        "future version": (_b64(_header(version=99) + b"\0" * 8), "version"),
        "zero size": (_b64(_header(h=0)), "size"),
        "huge size": (_b64(_header(h=60_000, w=60_000)), "size"),
        "header only": (_b64(_header()[:5]), "short"),
        "truth length past the end": (_b64(_header(n=10_000) + b"\0" * 8), "short"),
        "bomb in the prediction": (_b64(_header(n=len(runs)) + runs + small_bomb), "damaged"),
        "bomb in the ground truth": (_b64(_header(n=len(bomb)) + bomb), "too_long"),
        "runs that do not add up": (
            _b64(_header(n=len(runs)) + runs + zlib.compress(b"\0" * 16)),
            "damaged",
        ),
    }


@pytest.mark.parametrize("name", list(_hostile_fields()))
def test_hostile_fields_are_refused_with_a_reason(name):
    field, code = _hostile_fields()[name]
    with pytest.raises(codec.LinkError) as info:
        codec.unpack_masks(field, (SIZE, SIZE) if name == "flipped byte" else None)
    assert info.value.code == code, (name, info.value.code, str(info.value))


def test_a_size_other_than_the_pages_is_refused():
    field = codec.pack_masks(np.zeros((8, 8)), np.zeros((8, 8)))
    with pytest.raises(codec.LinkError) as info:
        codec.unpack_masks(field, (SIZE, SIZE))
    assert info.value.code == "size"
