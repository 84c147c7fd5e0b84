"""The masks of a page packed into a few kilobytes of a link, and read back safely.

Format, version 1 (the ``m`` field of a link, URL-safe base64 without padding)::

    "SL" | version (1 byte) | height, width (2 bytes each) |
    length of the ground-truth code (4 bytes) | ground-truth code | prediction code

* the ground truth (0/1) as run lengths: runs alternate background / object in row
  order, starting with background, each an unsigned LEB128 varint, then zlib;
* the prediction quantised to 1/255 (the grid every mask of the app lives on, so the
  round trip is exact), one byte per pixel, each byte as its difference (mod 256) to the
  median-edge prediction from its left, upper and upper-left neighbours (the predictor
  of lossless JPEG-LS, which turns flat regions and straight edges into zeros), then zlib.

Reading never trusts the link: the text is capped before it is decoded, every
decompression is capped at the size the header announces before anything is
inflated (so a small field cannot expand into gigabytes), sizes and lengths are
checked, and every failure is a :class:`LinkError` whose message says what was
wrong, for the page to show. Nothing here imports Streamlit.
"""

from __future__ import annotations

import base64
import binascii
import struct
import zlib

import numpy as np

VERSION = 1
MAGIC = b"SL"
MAX_FIELD_CHARS = 16_000  # a packed pair of 256 x 256 masks needs a few thousand
MAX_SIDE = 512
_HEADER = struct.Struct(">2sBHHI")  # magic, version, height, width, ground-truth code length


class LinkError(ValueError):
    """A link field that cannot be read: ``code`` names why (for the page's own words),
    the message says it in a few plain English words."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- varints
def _varints(values: np.ndarray) -> bytes:
    out = bytearray()
    for v in values.tolist():
        while True:
            byte = v & 0x7F
            v >>= 7
            if v:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                break
    return bytes(out)


def _read_varints(data: bytes, limit: int) -> list[int]:
    values, v, shift = [], 0, 0
    for byte in data:
        v |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            if shift > 35:
                raise LinkError("damaged", "the ground truth's run lengths are damaged")
            continue
        values.append(v)
        if len(values) > limit:
            raise LinkError("damaged", "the ground truth has more runs than pixels")
        v, shift = 0, 0
    if shift:
        raise LinkError("short", "the ground truth's run lengths are cut short")
    return values


def _inflate(data: bytes, size: int, what: str) -> bytes:
    """zlib-decompress at most ``size`` bytes; more than that means the field is not ours."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, size)
    except zlib.error:
        raise LinkError("damaged", f"the {what} is damaged") from None
    if d.unconsumed_tail or not d.eof:
        raise LinkError("damaged", f"the {what} is longer than its size says, or cut short")
    return out


# --------------------------------------------------------------------------- prediction filter
def _median_edge(q: np.ndarray) -> np.ndarray:
    """Each pixel's prediction from its left (a), upper (b) and upper-left (c) neighbours.

    min(a, b) or max(a, b) when c lies beyond them (an edge), else a + b - c; zero outside
    the image.
    """
    a = np.pad(q, ((0, 0), (1, 0)))[:, :-1]
    b = np.pad(q, ((1, 0), (0, 0)))[:-1, :]
    c = np.pad(q, ((1, 0), (1, 0)))[:-1, :-1]
    return np.clip(a + b - c, np.minimum(a, b), np.maximum(a, b))


def _undo_median_edge(residual: np.ndarray) -> np.ndarray:
    """The levels back from their residuals.

    A pixel needs its left, upper and upper-left neighbours, which all lie on the two
    anti-diagonals before its own, so the image is rebuilt one anti-diagonal at a time
    (h + w - 1 vector steps instead of h * w scalar ones).
    """
    h, w = residual.shape
    q = np.zeros((h + 1, w + 1), np.int16)  # a zero border above and to the left
    r = residual.astype(np.int16)
    for d in range(h + w - 1):
        i = np.arange(max(0, d - w + 1), min(h, d + 1))
        j = d - i
        a, b, c = q[i + 1, j], q[i, j + 1], q[i, j]
        guess = np.clip(a + b - c, np.minimum(a, b), np.maximum(a, b))
        q[i + 1, j + 1] = (guess + r[i, j]) % 256
    return q[1:, 1:].astype(np.uint8)


# --------------------------------------------------------------------------- pack
def to_levels(mask: np.ndarray) -> np.ndarray:
    """A mask in [0, 1] as its nearest 1/255 levels, uint8 0..255."""
    return np.round(np.clip(np.asarray(mask, np.float64), 0.0, 1.0) * 255.0).astype(np.uint8)


def from_levels(levels: np.ndarray) -> np.ndarray:
    """uint8 levels as float32 mask values k / 255 (one rounding, the same everywhere)."""
    return (np.asarray(levels, np.float64) / 255.0).astype(np.float32)


def quantise(mask: np.ndarray) -> np.ndarray:
    """A mask on the 1/255 grid (float32), as the app keeps every mask."""
    return from_levels(to_levels(mask))


def _runs(binary: np.ndarray) -> np.ndarray:
    flat = binary.reshape(-1).astype(np.int8)
    edges = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate([[0], edges, [flat.size]])
    runs = np.diff(bounds)
    if flat.size and flat[0] == 1:
        runs = np.concatenate([[0], runs])  # runs start with background
    return runs.astype(np.int64)


def pack_masks(y_true: np.ndarray, y_pred: np.ndarray) -> str:
    """Two masks of one shape as a link field (see the module docstring for the format)."""
    t = np.asarray(y_true) >= 0.5
    p = to_levels(y_pred)
    if t.shape != p.shape or t.ndim != 2:
        raise ValueError(f"two 2-D masks of one shape are needed, got {t.shape} and {p.shape}")
    h, w = t.shape
    truth = zlib.compress(_varints(_runs(t)), 9)
    residual = (p.astype(np.int16) - _median_edge(p.astype(np.int16))) % 256
    pred = zlib.compress(residual.astype(np.uint8).tobytes(), 9)
    raw = _HEADER.pack(MAGIC, VERSION, h, w, len(truth)) + truth + pred
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# --------------------------------------------------------------------------- unpack
def _decode_text(field: str) -> bytes:
    if not isinstance(field, str) or not field:
        raise LinkError("empty", "the masks field is empty")
    if len(field) > MAX_FIELD_CHARS:
        raise LinkError("too_long", "the masks field is far too long")
    try:
        return base64.b64decode(field + "=" * (-len(field) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise LinkError("damaged", "the masks field is not valid base64") from None


def _header(raw: bytes) -> tuple[int, int, int]:
    if len(raw) < _HEADER.size:
        raise LinkError("short", "the masks field is cut short")
    magic, version, h, w, n_truth = _HEADER.unpack_from(raw)
    if magic != MAGIC:
        raise LinkError("foreign", "the masks field was not made by this app")
    if version != VERSION:
        raise LinkError(
            "version", f"the masks field has version {version}; this app reads {VERSION}"
        )
    if not (1 <= h <= MAX_SIDE and 1 <= w <= MAX_SIDE):
        raise LinkError("size", f"the masks are {h} x {w} pixels, outside what the app accepts")
    if n_truth > len(raw) - _HEADER.size:
        raise LinkError("short", "the masks field is cut short")
    return h, w, n_truth


def _truth_from_runs(runs: list[int], h: int, w: int) -> np.ndarray:
    if sum(runs) != h * w:
        raise LinkError("damaged", "the ground truth's runs do not add up to its size")
    values = np.arange(len(runs)) % 2  # background, object, background, ...
    return np.repeat(values, runs).astype(np.float32).reshape(h, w)


def unpack_masks(field: str, shape: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The masks of a link field, float32 in [0, 1]; ``LinkError`` says why they cannot be read.

    ``shape``, when given, is the size the page works with; other sizes are refused.
    """
    raw = _decode_text(field)
    h, w, n_truth = _header(raw)
    if shape is not None and (h, w) != tuple(shape):
        raise LinkError("size", f"the masks are {h} x {w}; this page uses {shape[0]} x {shape[1]}")
    start = _HEADER.size
    # a run-length varint takes at most 3 bytes for these sizes; h * w + 1 runs at most
    codes = _inflate(raw[start : start + n_truth], 3 * (h * w + 1), "ground truth")
    truth = _truth_from_runs(_read_varints(codes, h * w + 1), h, w)
    deltas = _inflate(raw[start + n_truth :], h * w, "prediction")
    if len(deltas) != h * w:
        raise LinkError("damaged", "the prediction has the wrong number of pixels")
    residual = np.frombuffer(deltas, np.uint8).reshape(h, w)
    pred = from_levels(_undo_median_edge(residual))
    return truth, pred
