"""The pure parts of the mask input: canvas read-back, upload decoding, presets."""

from __future__ import annotations

import importlib.util
import io
import json

import numpy as np
import pytest
from PIL import Image

from teaching.registry import LOSS_KEYS
from ui.masks import imageio, presets
from ui.masks.imageio import (
    ROLE_RGB,
    SIZE,
    ZERO_RGB,
    UploadError,
    background_image,
    canvas_to_mask,
    decode_upload,
    encode_mask_png,
    stroke_rgb,
    value_rgb,
)

PRED = ROLE_RGB["pred"]
TRUE = ROLE_RGB["true"]


# --------------------------------------------------------------------------- helpers
def _png(arr: np.ndarray, mode: str | None = None, **save) -> bytes:
    buf = io.BytesIO()
    img = Image.fromarray(arr, mode=mode) if mode else Image.fromarray(arr)
    img.save(buf, format=save.pop("format", "PNG"), **save)
    return buf.getvalue()


def _img_bytes(img: Image.Image, fmt: str = "PNG", **save) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **save)
    return buf.getvalue()


def _blank_canvas(size: int = SIZE) -> np.ndarray:
    return np.zeros((size, size, 4), np.uint8)


def _paint(rgba: np.ndarray, rows: slice, cols: slice, rgb, alpha: int = 255) -> None:
    rgba[rows, cols, :3] = rgb
    rgba[rows, cols, 3] = alpha


def _disc(r: float = 40.0, cx: float = 128, cy: float = 128) -> np.ndarray:
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    return ((xx - cx) ** 2 + (yy - cy) ** 2 <= r * r).astype(np.float32)


# --------------------------------------------------------------------------- colours
@pytest.mark.parametrize("v", [0.0, 0.05, 0.3, 0.5, 0.77, 1.0])
@pytest.mark.parametrize("role", ["true", "pred"])
def test_stroke_colour_round_trips_through_canvas_to_mask(v, role):
    rgba = _blank_canvas()
    _paint(rgba, slice(0, SIZE), slice(0, SIZE), value_rgb(v, role))
    out = canvas_to_mask(rgba, one_rgb=ROLE_RGB[role])
    assert np.allclose(out, v, atol=0.006)
    hexa = stroke_rgb(v, role)
    assert hexa.startswith("#") and len(hexa) == 7
    assert tuple(int(hexa[i : i + 2], 16) for i in (1, 3, 5)) == value_rgb(v, role)


def test_value_rgb_ends_are_zero_and_role_colour():
    assert value_rgb(0.0, "pred") == ZERO_RGB
    assert value_rgb(1.0, "pred") == PRED
    assert value_rgb(2.0, "true") == TRUE  # clipped


# --------------------------------------------------------------------------- canvas_to_mask
def test_empty_transparent_canvas_returns_the_base():
    base = _disc() * 0.7
    out = canvas_to_mask(_blank_canvas(), base)
    assert out.dtype == np.float32 and out.shape == (SIZE, SIZE)
    assert np.allclose(out, base)
    assert np.all(canvas_to_mask(_blank_canvas()) == 0)


def test_opaque_stroke_sets_its_value_whatever_was_under_it():
    base = np.full((SIZE, SIZE), 0.9, np.float32)
    rgba = _blank_canvas()
    _paint(rgba, slice(100, 120), slice(0, SIZE), value_rgb(0.3, "pred"))
    out = canvas_to_mask(rgba, base)
    assert np.allclose(out[100:120], 0.3, atol=0.006)
    assert np.allclose(out[:100], 0.9) and np.allclose(out[120:], 0.9)


def test_soft_opacity_stroke_mixes_with_the_base_by_its_coverage():
    # Anti-aliased stroke edges (or any alpha) mix the painted value with what was there.
    base = np.full((SIZE, SIZE), 0.2, np.float32)
    rgba = _blank_canvas()
    _paint(rgba, slice(0, 10), slice(0, SIZE), PRED, alpha=128)
    out = canvas_to_mask(rgba, base)
    a = 128 / 255
    assert np.allclose(out[:10], a * 1.0 + (1 - a) * 0.2, atol=1e-3)


def test_eraser_paints_zero_over_foreground():
    base = np.ones((SIZE, SIZE), np.float32)
    rgba = _blank_canvas()
    _paint(rgba, slice(0, SIZE), slice(0, 50), ZERO_RGB)
    _paint(rgba, slice(0, SIZE), slice(50, 60), ZERO_RGB, alpha=64)  # a soft edge
    out = canvas_to_mask(rgba, base)
    assert np.all(out[:, :50] == 0)
    assert np.allclose(out[:, 50:60], 1 - 64 / 255, atol=1e-3)
    assert np.all(out[:, 60:] == 1)


def test_later_strokes_win_because_the_canvas_is_read_not_accumulated():
    # Two overlapping opaque strokes: the canvas shows the top one, so does the mask.
    rgba = _blank_canvas()
    _paint(rgba, slice(0, 100), slice(0, SIZE), value_rgb(0.8, "pred"))
    _paint(rgba, slice(50, 100), slice(0, SIZE), value_rgb(0.25, "pred"))
    out = canvas_to_mask(rgba)
    assert np.allclose(out[:50], 0.8, atol=0.006)
    assert np.allclose(out[50:100], 0.25, atol=0.006)
    assert np.all(out[100:] == 0)


def test_background_colour_canvas_reads_stroke_colour_not_alpha():
    # With st_canvas(background_color=...), the image is opaque everywhere.
    bg = (255, 255, 255)
    rgba = np.empty((SIZE, SIZE, 4), np.uint8)
    rgba[..., :3] = bg
    rgba[..., 3] = 255
    _paint(rgba, slice(0, 40), slice(0, SIZE), value_rgb(0.7, "pred"))
    _paint(rgba, slice(40, 60), slice(0, SIZE), ZERO_RGB)  # eraser
    # an anti-aliased edge: half stroke colour (value 1), half background
    edge = 0.5 * np.asarray(PRED, np.float32) + 0.5 * np.asarray(bg, np.float32)
    rgba[60:70, :, :3] = np.round(edge).astype(np.uint8)
    base = np.full((SIZE, SIZE), 0.4, np.float32)
    out = canvas_to_mask(rgba, base, background_rgb=bg)
    assert np.allclose(out[:40], 0.7, atol=0.01)
    assert np.allclose(out[40:60], 0.0, atol=0.01)
    assert np.allclose(out[60:70], 0.5 * 1.0 + 0.5 * 0.4, atol=0.01)
    assert np.allclose(out[70:], 0.4, atol=1e-6)


def test_background_colour_on_the_value_line_is_refused():
    with pytest.raises(ValueError, match="background_rgb"):
        canvas_to_mask(_blank_canvas(), background_rgb=ZERO_RGB)


def test_rgb_input_and_other_sizes_are_accepted():
    rgb = np.zeros((512, 512, 3), np.uint8)
    rgb[:] = ZERO_RGB
    rgb[:256] = PRED
    out = canvas_to_mask(rgb)
    assert out.shape == (SIZE, SIZE)
    assert np.allclose(out[:120], 1.0) and np.allclose(out[136:], 0.0)
    with pytest.raises(ValueError):
        canvas_to_mask(np.zeros((10, 10), np.uint8))


def test_real_canvas_png_round_trip():
    """A PNG as the browser returns it (straight alpha) decodes like the array."""
    rgba = _blank_canvas()
    _paint(rgba, slice(10, 30), slice(10, 200), value_rgb(0.6, "pred"))
    png = _png(rgba, "RGBA")
    back = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert np.allclose(canvas_to_mask(back), canvas_to_mask(rgba))


# --------------------------------------------------------------------------- backgrounds
def test_background_image_shows_mask_colour_and_outline():
    scene = np.full((SIZE, SIZE), 30, np.uint8)
    mask = _disc(50)
    data = background_image(scene, mask, "pred", contour=_disc(30, 60, 60))
    img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert img.shape == (SIZE, SIZE, 3)
    assert tuple(img[128, 128]) == PRED  # p = 1 shows the full colour
    assert tuple(img[5, 250]) == (30, 30, 30)  # p = 0 shows the scene
    edge = imageio.outline(_disc(30, 60, 60))
    assert edge.sum() > 100 and not np.array_equal(img[edge], np.full_like(img[edge], 30))
    jpeg = background_image(scene, mask, "true", fmt="JPEG")
    assert jpeg[:3] == b"\xff\xd8\xff"


# --------------------------------------------------------------------------- decode_upload
def test_gray_png_is_value_over_255():
    arr = (np.arange(SIZE * SIZE) % 256).astype(np.uint8).reshape(SIZE, SIZE)
    mask, notes = decode_upload(_png(arr), "g.png", "pred")
    assert mask.dtype == np.float32 and mask.shape == (SIZE, SIZE)
    assert np.allclose(mask, arr / 255.0)
    assert "grayscale" in notes[0] and "g.png" in notes[0]


def test_colour_png_is_reduced_to_luminance():
    arr = np.zeros((SIZE, SIZE, 3), np.uint8)
    arr[..., 0] = 255  # pure red
    mask, notes = decode_upload(_png(arr), "red.png", "pred")
    assert np.allclose(mask, 0.299, atol=1e-3)
    assert "colour" in notes[0] and "luminance" in notes[0]


def test_grey_stored_as_rgb_is_read_exactly():
    g = np.tile(np.linspace(0, 255, SIZE).astype(np.uint8), (SIZE, 1))
    mask, notes = decode_upload(_png(np.stack([g, g, g], -1)), "g.png", "pred")
    assert np.allclose(mask, g / 255.0)
    assert "grey image stored as colour" in notes[0]


def test_rgba_constant_colour_reads_alpha():
    arr = np.zeros((SIZE, SIZE, 4), np.uint8)
    arr[..., :3] = (200, 10, 10)
    arr[..., 3] = np.tile(np.linspace(0, 255, SIZE).astype(np.uint8), (SIZE, 1))
    mask, notes = decode_upload(_png(arr, "RGBA"), "a.png", "pred")
    assert np.allclose(mask, arr[..., 3] / 255.0)
    assert "alpha channel was read" in notes[0]


def test_rgba_constant_alpha_is_ignored():
    g = np.tile(np.linspace(0, 255, SIZE).astype(np.uint8), (SIZE, 1))
    arr = np.stack([g, g, g, np.full_like(g, 255)], -1)
    mask, notes = decode_upload(_png(arr, "RGBA"), "a.png", "pred")
    assert np.allclose(mask, g / 255.0)
    assert "ignored" in notes[0]


def test_rgba_varying_colour_and_alpha_is_brightness_times_opacity():
    arr = np.zeros((SIZE, SIZE, 4), np.uint8)
    arr[:, :128] = (255, 255, 255, 255)  # white, opaque: foreground
    arr[:, 128:] = (255, 255, 255, 0)  # white, transparent: background
    arr[:10, :10] = (0, 0, 0, 255)
    mask, notes = decode_upload(_png(arr, "RGBA"), "a.png", "pred")
    assert (
        np.all(mask[20:, :128] == 1) and np.all(mask[:, 128:] == 0) and np.all(mask[:10, :10] == 0)
    )
    assert "opacity" in notes[0]


def test_la_png_with_varying_alpha():
    arr = np.zeros((SIZE, SIZE, 2), np.uint8)
    arr[..., 0] = 255
    arr[:, :64, 1] = 255
    mask, _ = decode_upload(_png(arr, "LA"), "la.png", "pred")
    assert np.all(mask[:, :64] == 1) and np.all(mask[:, 64:] == 0)


def test_16_bit_png_is_scaled_by_65535():
    arr = np.tile(np.linspace(0, 65535, SIZE).astype(np.uint16), (SIZE, 1))
    data = _img_bytes(Image.fromarray(arr))
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    mask, notes = decode_upload(data, "deep.png", "pred")
    assert np.allclose(mask, arr / 65535.0, atol=1e-6)
    assert "16-bit" in notes[0]


def test_palette_png_with_and_without_transparency():
    arr = np.zeros((SIZE, SIZE), np.uint8)
    arr[:, 128:] = 1
    img = Image.fromarray(arr, mode="P")
    img.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    mask, notes = decode_upload(_img_bytes(img), "pal.png", "true")
    assert np.all(mask[:, 128:] == 1) and np.all(mask[:, :128] == 0)
    assert "palette" in notes[0]
    img.info["transparency"] = 0
    mask2, notes2 = decode_upload(_img_bytes(img, transparency=0), "palt.png", "true")
    assert np.array_equal(mask2, mask)
    assert "transparency" in notes2[0]


def test_one_bit_png():
    arr = np.zeros((SIZE, SIZE), bool)
    arr[50:100, 50:100] = True
    mask, notes = decode_upload(_img_bytes(Image.fromarray(arr)), "bw.png", "true")
    assert mask.sum() == 2500 and "black-and-white" in notes[0]


def test_label_image_with_values_0_and_1():
    arr = np.zeros((SIZE, SIZE), np.uint8)
    arr[10:20, 10:20] = 1  # looks black, but it is a label image
    mask, notes = decode_upload(_png(arr), "labels.png", "true")
    assert mask.sum() == 100 and "label image" in notes[0]


def test_jpeg_ground_truth_is_binarised_with_a_note():
    arr = (_disc(60) * 255).astype(np.uint8)
    data = _img_bytes(Image.fromarray(arr), "JPEG", quality=70)
    mask, notes = decode_upload(data, "gt.jpg", "true")
    assert set(np.unique(mask).tolist()) <= {0.0, 1.0}
    assert abs(mask.sum() - _disc(60).sum()) < 0.02 * _disc(60).sum()
    assert any("binarised at 0.5" in n for n in notes)
    assert "JPEG" in notes[0]


def test_soft_prediction_stays_soft_and_binary_gt_gets_no_note():
    soft = (np.linspace(0, 1, SIZE * SIZE).reshape(SIZE, SIZE) * 255).astype(np.uint8)
    mask, notes = decode_upload(_png(soft), "p.png", "pred")
    assert 0 < mask.mean() < 1 and len(np.unique(mask)) > 200
    assert not any("binarised" in n for n in notes)
    binary = (_disc() * 255).astype(np.uint8)
    _, notes_t = decode_upload(_png(binary), "t.png", "true")
    assert not any("binarised" in n for n in notes_t)


def test_wrong_size_is_resized_with_a_note():
    arr = np.zeros((80, 100), np.uint8)
    arr[:, 50:] = 255
    mask, notes = decode_upload(_png(arr), "small.png", "true")
    assert mask.shape == (SIZE, SIZE)
    assert any("Resized from 100 x 80 to 256 x 256" in n and "stretched" in n for n in notes)
    assert np.all(mask[:, 140:] == 1) and np.all(mask[:, :110] == 0)
    big = np.full((600, 600), 128, np.uint8)
    mask2, notes2 = decode_upload(_png(big), "big.png", "pred")
    assert np.allclose(mask2, 128 / 255) and any("Resized" in n for n in notes2)
    assert not any("stretched" in n for n in notes2)


def test_empty_ground_truth_gets_a_note():
    mask, notes = decode_upload(_png(np.zeros((SIZE, SIZE), np.uint8)), "z.png", "true")
    assert mask.sum() == 0 and any("empty" in n for n in notes)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"this is not an image at all", "not an image"),
        (b"%PDF-1.4 something", "not an image"),
    ],
)
def test_bad_bytes_raise_upload_error_with_a_message(data, words):
    with pytest.raises(UploadError) as err:
        decode_upload(data, "bad.png", "true")
    assert words in str(err.value) and "bad.png" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_too_many_bytes_is_refused():
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * imageio.MAX_UPLOAD_BYTES
    with pytest.raises(UploadError, match="limit is 10 MB"):
        decode_upload(data, "huge.png", "pred")


def test_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(imageio, "MAX_UPLOAD_PIXELS", 64 * 64 - 1)
    with pytest.raises(UploadError, match="megapixels"):
        decode_upload(_png(np.zeros((64, 64), np.uint8)), "wide.png", "pred")


def test_real_pixel_limit_is_checked_before_decoding():
    # 5000 x 4000 one-bit image: a tiny file, 20 megapixels.
    data = _img_bytes(Image.new("1", (5000, 4000)))
    assert len(data) < imageio.MAX_UPLOAD_BYTES
    with pytest.raises(UploadError, match="5000 x 4000"):
        decode_upload(data, "poster.png", "true")


def test_other_formats_and_damaged_files_are_refused():
    gif = _img_bytes(Image.new("L", (8, 8)), "GIF")
    with pytest.raises(UploadError, match="only PNG and JPEG"):
        decode_upload(gif, "anim.gif", "pred")
    png = _png((_disc() * 255).astype(np.uint8))
    with pytest.raises(UploadError, match="damaged"):
        decode_upload(png[: len(png) // 2], "cut.png", "pred")


def test_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError, match="role"):
        decode_upload(b"x", "x.png", "prediction")


def test_encode_mask_png_round_trips():
    m = np.round(np.random.default_rng(0).random((SIZE, SIZE)) * 255) / 255
    back, _ = decode_upload(encode_mask_png(m), "m.png", "pred")
    assert np.allclose(back, m, atol=1e-6)


# --------------------------------------------------------------------------- presets
KEYS = presets.preset_keys()
REQUIRED = {
    "tiny",
    "large",
    "over_seg",
    "under_seg",
    "shifted",
    "uncertain",
    "empty_gt",
    "perfect",
}


def _counts(t, p):
    return float(((1 - t) * p).sum()), float((t * (1 - p)).sum())


def test_required_presets_exist_and_default_is_listed():
    assert REQUIRED <= set(KEYS)
    assert presets.DEFAULT_PRESET in KEYS
    assert len(KEYS) == len(set(KEYS))


@pytest.mark.parametrize("key", KEYS)
def test_every_preset_has_files_shape_and_range(key):
    for role in ("true", "pred"):
        img = Image.open(presets.PRESET_DIR / f"{key}_{role}.png")
        assert img.mode == "L" and img.size == (SIZE, SIZE)
    t, p = presets.load_preset(key)
    for a in (t, p):
        assert a.dtype == np.float32 and a.shape == (SIZE, SIZE)
        assert a.min() >= 0 and a.max() <= 1
    assert set(np.unique(t).tolist()) <= {0.0, 1.0}
    info = presets.preset_info(key)
    assert presets.preset_text(key, "title") and presets.preset_text(key, "description")
    assert info["background"] in presets.list_backgrounds()
    default = presets.preset_text(key, "notice")
    assert default.strip()
    from ui import text

    for loss in LOSS_KEYS:
        own = text.notice(loss, key) or ""
        assert own.strip(), f"assets/text/en/{loss}.md has no caption for preset {key}"
        assert own != default


def test_preset_properties():
    t, p = presets.load_preset("tiny")
    assert 0.007 <= t.mean() <= 0.013
    t, p = presets.load_preset("large")
    assert t.mean() > 0.2
    t, p = presets.load_preset("empty_gt")
    assert t.sum() == 0 and p.sum() > 0
    t, p = presets.load_preset("perfect")
    assert np.array_equal(t, p)
    fp, fn = _counts(*presets.load_preset("over_seg"))
    assert fp > 3 * fn
    fp, fn = _counts(*presets.load_preset("under_seg"))
    assert fn > 3 * fp
    fp, fn = _counts(*presets.load_preset("shifted"))
    assert 0.6 < fp / fn < 1.6
    t, p = presets.load_preset("uncertain")
    inside = p[t == 1]
    assert p.max() <= 0.7 and ((p > 0.2) & (p < 0.7)).mean() > 0.05 and inside.mean() < 0.7
    if "missed_small" in KEYS:
        t, p = presets.load_preset("missed_small")
        fp, fn = _counts(t, p)
        assert fn > 3 * fp


def test_load_preset_returns_fresh_copies():
    t, p = presets.load_preset("shifted")
    t[:] = 0
    p[:] = 0
    t2, p2 = presets.load_preset("shifted")
    assert t2.sum() > 0 and p2.sum() > 0
    lst = presets.list_presets()
    lst[0]["background"] = "changed"
    assert presets.list_presets()[0]["background"] != "changed"


def test_preset_caption_falls_back():
    from ui import text

    assert presets.preset_caption("tiny", "dice") == text.notice("dice", "tiny")
    assert presets.preset_caption("tiny", "bce") == presets.preset_text("tiny", "notice")
    assert presets.preset_caption("no-such-preset", "dice") == ""
    with pytest.raises(KeyError, match="no preset"):
        presets.load_preset("no-such-preset")


def test_presets_json_is_valid_and_matches_the_generator():
    data = json.loads((presets.PRESET_DIR / "presets.json").read_text(encoding="utf-8"))
    assert data["size"] == SIZE
    spec = importlib.util.spec_from_file_location(
        "make_presets", presets.ASSETS / "make_presets.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert list(mod.PRESETS) == KEYS
    # The committed images are exactly what the (deterministic) script makes.
    assert mod.main(["--check"]) == 0


@pytest.mark.parametrize("name", ["cells", "scan"])
def test_backgrounds(name):
    a = presets.load_background(name)
    assert a.shape == (SIZE, SIZE) and a.dtype == np.uint8 and a.std() > 5
