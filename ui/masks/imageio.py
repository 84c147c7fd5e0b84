"""Pure image functions behind the mask input: no Streamlit here, so all of it is testable.

* ``decode_upload`` turns the bytes of an uploaded PNG or JPEG into a 256 x 256 float32 mask
  and a list of notes that say, in plain words, how the file was read. Notes and errors are
  :class:`ui.i18n.Message` objects (catalog keys ``masks.upload.*`` with their values): as
  strings they read in English, and the page shows them in its own language.
* ``canvas_to_mask`` turns what the drawing canvas returns (an RGBA array) into a mask,
  composited over the mask that was on the canvas before the strokes.
* ``stroke_rgb`` / ``background_image`` make the colours and the picture the canvas shows, so
  that what a learner sees and what the losses receive are the same thing.

How painting is encoded. A stroke is opaque and its colour says the value painted: value 0 is
``ZERO_RGB`` (a dark grey, close to the scenes' background), value 1 is the role's colour, and a
value in between is the colour on the straight line between the two. The last stroke on a
pixel wins, so painting 0.3 over a confident region sets it to 0.3, and the eraser is simply
"paint 0". Reading the canvas back projects each pixel's colour onto that line, and the pixel's
coverage (alpha, or the distance from a flat background colour) mixes the painted value with
the mask underneath. Stroke edges are anti-aliased, so they come back as soft values.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..i18n import Message

SIZE = 256
MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MiB
MAX_UPLOAD_PIXELS = 4096 * 4096  # about 16.8 megapixels
ACCEPTED_FORMATS = ("PNG", "JPEG")

ZERO_RGB = (20, 20, 20)  # the colour of probability 0 (eraser)
ROLE_RGB = {
    "true": (240, 228, 66),  # ground truth: yellow
    "pred": (230, 60, 200),  # prediction: magenta
}
#: The roles' names in the catalogs (``masks.role.<role>``), as messages.
ROLE_NAME = {role: Message(f"masks.role.{role}") for role in ("true", "pred")}


class UploadError(ValueError):
    """An uploaded file could not be used; ``message`` says why, for the learner.

    ``str(error)`` is the English text; ``error.message`` the :class:`Message` to show.
    """

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


def _note(key: str, **values) -> Message:
    return Message(f"masks.upload.{key}", **values)


def _error(key: str, **values) -> UploadError:
    return UploadError(_note(key, **values))


# --------------------------------------------------------------------------- colours
def value_rgb(value: float, role: str) -> tuple[int, int, int]:
    """The opaque colour that encodes ``value`` in [0, 1] on the canvas of ``role``."""
    v = float(np.clip(value, 0.0, 1.0))
    one = ROLE_RGB[role]
    return tuple(int(round(z + v * (o - z))) for z, o in zip(ZERO_RGB, one, strict=True))


def stroke_rgb(value: float, role: str) -> str:
    """``value_rgb`` as a CSS hex colour for ``st_canvas(stroke_color=...)``."""
    return "#{:02x}{:02x}{:02x}".format(*value_rgb(value, role))


# --------------------------------------------------------------------------- canvas
def _resize_float(a: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Resize a float image to ``size`` x ``size``: area average down, bilinear up."""
    h, w = a.shape
    if (h, w) == (size, size):
        return a.astype(np.float32, copy=False)
    method = Image.Resampling.BOX if (h >= size and w >= size) else Image.Resampling.BILINEAR
    img = Image.fromarray(np.ascontiguousarray(a, dtype=np.float32), mode="F")
    return np.asarray(img.resize((size, size), method), dtype=np.float32)


def canvas_to_mask(
    rgba: np.ndarray,
    base: np.ndarray | None = None,
    *,
    one_rgb: tuple[int, int, int] = ROLE_RGB["pred"],
    zero_rgb: tuple[int, int, int] = ZERO_RGB,
    background_rgb: tuple[int, int, int] | None = None,
    size: int = SIZE,
) -> np.ndarray:
    """Read a canvas image back into a float32 mask in [0, 1] of shape (size, size).

    Args:
        rgba: uint8 array (H, W, 4) or (H, W, 3), as ``CanvasResult.image_data`` returns it.
        base: the mask under the strokes (float, any size, resized to ``size``); zeros if None.
        one_rgb, zero_rgb: the colours of value 1 and value 0 (see ``stroke_rgb``).
        background_rgb: the canvas's flat background colour when ``st_canvas`` had a
            ``background_color``: the returned image is then opaque everywhere and a pixel's
            coverage is read from its distance to that colour. None (the default) when the
            canvas is transparent (a ``background_image`` is used): coverage is the alpha.

    Returns:
        ``coverage * painted_value + (1 - coverage) * base`` per pixel.
    """
    a = np.asarray(rgba)
    if a.ndim != 3 or a.shape[2] not in (3, 4):
        raise ValueError(f"expected an (H, W, 4) RGBA array, got shape {a.shape}")
    rgb = a[..., :3].astype(np.float32)
    zero = np.asarray(zero_rgb, np.float32)
    one = np.asarray(one_rgb, np.float32)
    if background_rgb is None:
        if a.shape[2] == 4:
            cover = a[..., 3].astype(np.float32) / 255.0
        else:
            cover = np.ones(a.shape[:2], np.float32)
        d = one - zero
        value = np.clip(((rgb - zero) @ d) / float(d @ d), 0.0, 1.0)
        painted = cover * value
    else:
        # colour = bg + w0 (zero - bg) + w1 (one - bg): solve for (w0, w1) per pixel.
        bg = np.asarray(background_rgb, np.float32)
        m = np.stack([zero - bg, one - bg], axis=1)  # (3, 2)
        if np.linalg.matrix_rank(m) < 2:
            raise ValueError(
                "background_rgb lies on the line between zero_rgb and one_rgb; "
                "pick a background colour that differs from both"
            )
        w = (rgb - bg) @ np.linalg.pinv(m).T  # (H, W, 2)
        w = np.clip(w, 0.0, 1.0)
        total = w.sum(axis=-1)
        over = total > 1.0
        w[over] /= total[over][:, None]
        cover = np.clip(w.sum(axis=-1), 0.0, 1.0)
        painted = w[..., 1]
    if base is None:
        under = np.zeros(cover.shape, np.float32)
    else:
        under = _resize_float(np.asarray(base, np.float32), cover.shape[0])
        if under.shape != cover.shape:
            under = np.asarray(
                Image.fromarray(under, mode="F").resize(cover.shape[::-1]), np.float32
            )
    out = painted + (1.0 - cover) * under
    return np.clip(_resize_float(out, size), 0.0, 1.0).astype(np.float32)


# --------------------------------------------------------------------------- backgrounds
def outline(mask: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Boolean map of the pixels on the border of ``mask >= threshold`` (1 px thick)."""
    m = np.asarray(mask) >= threshold
    inner = m.copy()
    inner[1:, :] &= m[:-1, :]
    inner[:-1, :] &= m[1:, :]
    inner[:, 1:] &= m[:, :-1]
    inner[:, :-1] &= m[:, 1:]
    return m & ~inner


def background_image(
    scene: np.ndarray,
    mask: np.ndarray,
    role: str,
    contour: np.ndarray | None = None,
    contour_role: str = "true",
    fmt: str = "PNG",
) -> bytes:
    """The picture under a canvas: the scene with ``mask`` painted on it, encoded as bytes.

    A pixel of value p shows ``(1 - p) * scene + p * colour(1)``, so a loaded mask looks like
    strokes painted with the same value on the scene. ``contour`` (another mask) is drawn as
    a thin line in the colour of ``contour_role``.
    """
    s = np.asarray(scene, np.float32)
    if s.ndim == 2:
        s = np.repeat(s[..., None], 3, axis=2)
    s = s[..., :3]
    p = np.clip(np.asarray(mask, np.float32), 0.0, 1.0)[..., None]
    img = (1.0 - p) * s + p * np.asarray(ROLE_RGB[role], np.float32)
    if contour is not None:
        edge = outline(contour)
        img[edge] = 0.25 * img[edge] + 0.75 * np.asarray(ROLE_RGB[contour_role], np.float32)
    out = Image.fromarray(np.clip(np.round(img), 0, 255).astype(np.uint8), mode="RGB")
    buf = io.BytesIO()
    if fmt.upper() == "JPEG":
        out.save(buf, format="JPEG", quality=90, subsampling=0)
    else:
        out.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


# --------------------------------------------------------------------------- uploads
def _label(name: str, role: str) -> Message:
    return _note("label", role=ROLE_NAME[role], name=name)


def _alpha_read(rgb: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, str]:
    """Decide what an image with an alpha channel means. Values in [0, 1]; the reading's key."""
    if float(alpha.max() - alpha.min()) < 1e-6:
        return _luminance(rgb), "alpha_flat"
    visible = alpha > 0
    colours = rgb[visible] if visible.any() else rgb.reshape(-1, rgb.shape[-1])
    if float(np.ptp(colours, axis=0).max()) < 1.5 / 255:
        return alpha, "alpha_value"
    return _luminance(rgb) * alpha, "alpha_times_brightness"


def _luminance(rgb: np.ndarray) -> np.ndarray:
    if rgb.ndim == 2:
        return rgb
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _read_values(img: Image.Image, label: Message) -> tuple[np.ndarray, Message]:
    """Pixel values in [0, 1] (float32, H x W) and a note saying how they were read."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _read_deep(img, label)
    palette = False
    if mode == "1":
        img = img.convert("L")
    elif mode in ("P", "PA"):
        has_t = mode == "PA" or "transparency" in img.info
        img = img.convert("RGBA" if has_t else "RGB")
        palette = True
    elif mode in ("La", "RGBa"):
        img = img.convert(mode.upper())
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGB")
    value, how = _read_8bit(np.asarray(img), mode, img.mode in ("LA", "RGBA"))
    return value, _note("palette" if palette else "plain", how=how)


def _read_deep(img: Image.Image, label: Message) -> tuple[np.ndarray, Message]:
    """A 16-bit, 32-bit integer or floating-point image."""
    raw = np.asarray(img, np.float64)
    if raw.size and raw.min() < 0:
        raise _error("negative", label=label)
    top = float(raw.max()) if raw.size else 0.0
    if set(np.unique(raw).tolist()) <= {0.0, 1.0} and top == 1.0:
        return raw.astype(np.float32), _note("label_image")
    if img.mode == "F":
        return raw.astype(np.float32), _note("float_image")
    scale = 65535.0 if top <= 65535 else top
    return (raw / scale).astype(np.float32), _note("sixteen_bit")


def _read_8bit(raw: np.ndarray, mode: str, has_alpha: bool) -> tuple[np.ndarray, Message]:
    """An 8-bit image (grey, colour, with or without alpha) and how it was read."""
    if raw.ndim == 2:
        if mode != "1" and set(np.unique(raw).tolist()) == {0, 1}:
            return raw.astype(np.float32), _note("label_image")
        how = "black_and_white" if mode == "1" else "grayscale"
        return raw.astype(np.float32) / 255.0, _note(how)
    arr = raw.astype(np.float32) / 255.0
    colour = arr[..., :-1] if has_alpha else arr
    if colour.shape[-1] == 1:
        colour = colour[..., 0]
    if has_alpha:
        value, why = _alpha_read(colour, arr[..., -1])
        return value, _note("transparency", why=_note(why))
    if np.array_equal(colour[..., 0], colour[..., 1]) and np.array_equal(
        colour[..., 1], colour[..., 2]
    ):
        return colour[..., 0], _note("grey_as_colour")
    return _luminance(colour), _note("colour")


def _open_image(data: bytes, label: Message) -> tuple[Image.Image, str]:
    """The uploaded bytes as a decoded image and its format (PNG or JPEG), or an UploadError."""
    if not data:
        raise _error("empty", label=label)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _error(
            "too_large",
            label=label,
            size=f"{len(data) / 2**20:.1f}",
            limit=f"{MAX_UPLOAD_BYTES / 2**20:.0f}",
            side=str(SIZE),
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error(
            "bomb", label=label, limit=f"{Image.MAX_IMAGE_PIXELS / 1e6:.0f}", side=str(SIZE)
        ) from None
    except UnidentifiedImageError:
        raise _error("not_an_image", label=label) from None
    except Exception:  # noqa: BLE001 - any decoder failure is the file's fault
        raise _error("cannot_open", label=label) from None
    _check_header(img, label)
    fmt = img.format
    try:
        img.load()
        if fmt == "JPEG":
            img = ImageOps.exif_transpose(img)  # a new image: it has no format any more
    except Exception:  # noqa: BLE001
        raise _error("damaged", label=label, format=str(fmt)) from None
    return img, fmt


def _check_header(img: Image.Image, label: Message) -> None:
    """Format and size, read from the header before any pixel is decoded."""
    if img.format not in ACCEPTED_FORMATS:
        raise _error("wrong_format", label=label, format=img.format or "?")
    w, h = img.size
    if w < 1 or h < 1:
        raise _error("no_pixels", label=label)
    if w * h > MAX_UPLOAD_PIXELS:
        raise _error(
            "too_many_pixels",
            label=label,
            width=str(w),
            height=str(h),
            limit=f"{MAX_UPLOAD_PIXELS / 1e6:.1f}",
            side=str(SIZE),
        )


def _fit(value: np.ndarray, notes: list[Message]) -> np.ndarray:
    """Values clipped into [0, 1] and resized to SIZE x SIZE (saying so in ``notes``)."""
    value = np.clip(np.nan_to_num(value.astype(np.float32), nan=0.0), 0.0, 1.0)
    if value.shape != (SIZE, SIZE):
        sizes = dict(width=str(value.shape[1]), height=str(value.shape[0]), side=str(SIZE))
        square = value.shape[0] == value.shape[1]
        notes.append(_note("resized" if square else "resized_stretched", **sizes))
        value = _resize_float(value)
    return value


def _binarised(value: np.ndarray, soft_share: float, notes: list[Message]) -> np.ndarray:
    """A ground truth holds only 0 and 1: threshold at 0.5 (saying so in ``notes``)."""
    if soft_share >= 0.001:
        notes.append(_note("binarised", share=f"{soft_share:.1%}"))
    elif soft_share > 0:
        notes.append(_note("binarised_few"))
    value = (value >= 0.5).astype(np.float32)
    if not value.any():
        notes.append(_note("empty_truth"))
    return value


def decode_upload(
    data: bytes, name: str = "upload", role: str = "pred"
) -> tuple[np.ndarray, list[str]]:
    """Read an uploaded PNG or JPEG as a mask.

    Args:
        data: the file's bytes.
        name: the file name, only used in messages.
        role: ``"true"`` (ground truth: binarised at 0.5) or ``"pred"`` (kept soft).

    Returns:
        ``(mask, notes)``: a float32 (256, 256) array in [0, 1] and the sentences that say how
        the file was read (format, channels, resizing, binarising), as :class:`Message` objects.

    Raises:
        UploadError: the file is empty, too large, not a PNG or JPEG, damaged, or too many
            pixels. Its ``message`` is meant to be shown as is.
    """
    if role not in ROLE_NAME:
        raise ValueError(f"role must be 'true' or 'pred', got {role!r}")
    label = _label(name, role)
    img, fmt = _open_image(data, label)
    w, h = img.size
    value, how = _read_values(img, label)
    notes = [_note("read", label=label, format=fmt, width=str(w), height=str(h), how=how)]
    soft = (value > 0.0) & (value < 1.0)
    soft_share = float(soft.mean()) if value.size else 0.0
    value = _fit(value, notes)
    if role == "true":
        value = _binarised(value, soft_share, notes)
    return np.clip(value, 0.0, 1.0).astype(np.float32), notes


def encode_mask_png(mask: np.ndarray) -> bytes:
    """A mask as an 8-bit grayscale PNG (value x 255), the format ``decode_upload`` reads."""
    m = np.clip(np.round(np.asarray(mask, np.float32) * 255.0), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(m, mode="L").save(buf, format="PNG")
    return buf.getvalue()
