"""A synthetic, class-imbalanced segmentation task, generated in code.

Each image is 64 x 64 (by default) and shows a few small bright objects, round
or elongated blobs and thin line segments, on a background that has smooth
texture (bright and dark patches) and pixel noise. The mask marks the objects.
Foreground is rare by design: the caller picks the share of foreground pixels
(for instance 0.01 for 1 %), and the generator places objects until each image
holds about that much, carrying any surplus or shortfall over to the next
image so the whole set hits the asked fraction closely.

Everything is drawn from ``numpy.random.default_rng(seed)``, so one seed gives
the same images on every machine and every call::

    from trainlab.data import make_task
    task = make_task(n_train=256, n_val=64, fg_fraction=0.01, object_size=3, seed=0)
    task.train.images.shape   # (256, 64, 64, 1) float32 in [0, 1]
    task.train.fg_fraction    # measured share of foreground pixels, about 0.01
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FG_MIN, FG_MAX = 0.002, 0.10  # accepted foreground fractions (the task targets 0.5 to 5 %)
SIZE_MIN, SIZE_MAX = 1.0, 8.0  # accepted object sizes (blob radius in pixels)
IMAGE_SIZES = (32, 48, 64, 96, 128)  # side lengths divisible by 4 (two poolings in the U-Net)

# Offsets of the training and validation streams derived from one seed, so the
# validation set never depends on how many training images were asked for.
_TRAIN_STREAM, _VAL_STREAM = 0, 1


@dataclass(frozen=True)
class Split:
    """One set of images and their masks.

    Attributes:
        images: float32 array (n, H, W, 1), grey levels in [0, 1].
        masks: float32 array (n, H, W, 1), 1 on objects and 0 on background.
        labels: int32 array (n, H, W), 0 on background and k >= 1 on the pixels
            of the image's k-th object (used to count objects found).
    """

    images: np.ndarray
    masks: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def fg_fraction(self) -> float:
        """Measured share of foreground pixels over the whole split."""
        return float(self.masks.mean())

    @property
    def n_objects(self) -> int:
        return int(sum(np.unique(lab).size - (lab == 0).any() for lab in self.labels))


@dataclass(frozen=True)
class Task:
    """A training split and a fixed validation split, with the settings that made them."""

    train: Split
    val: Split
    settings: dict


def check_settings(
    n_train: int,
    n_val: int,
    fg_fraction: float,
    object_size: float,
    image_size: int = 64,
    seed: int = 0,
) -> None:
    """Raise ValueError with a plain message when a setting cannot make a task."""
    for name, value in (("n_train", n_train), ("n_val", n_val), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number, got {value!r}.")
    if n_train < 1 or n_val < 1:
        raise ValueError("n_train and n_val must both be at least 1 image.")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}.")
    if not np.isfinite(fg_fraction) or not FG_MIN <= fg_fraction <= FG_MAX:
        raise ValueError(
            f"fg_fraction must be between {FG_MIN} and {FG_MAX} (that is "
            f"{FG_MIN:.1%} to {FG_MAX:.0%} of the pixels), got {fg_fraction}."
        )
    if not np.isfinite(object_size) or not SIZE_MIN <= object_size <= SIZE_MAX:
        raise ValueError(
            f"object_size must be between {SIZE_MIN} and {SIZE_MAX} pixels, got {object_size}."
        )
    if image_size not in IMAGE_SIZES:
        raise ValueError(f"image_size must be one of {IMAGE_SIZES}, got {image_size}.")


def _texture(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Smooth random fields in [0, 1]: white noise low-pass filtered in Fourier space."""
    noise = rng.standard_normal((n, size, size))
    f = np.fft.fftfreq(size)
    radius2 = f[:, None] ** 2 + f[None, :] ** 2
    corr = 0.06  # cut-off frequency (cycles per pixel): patches of ~10-20 pixels
    smooth = np.fft.ifft2(np.fft.fft2(noise) * np.exp(-radius2 / (2 * corr**2))).real
    lo = smooth.min(axis=(1, 2), keepdims=True)
    hi = smooth.max(axis=(1, 2), keepdims=True)
    return (smooth - lo) / np.maximum(hi - lo, 1e-12)


def _blob(rng, yy, xx, size, object_size):
    """A filled ellipse with random centre, radius, elongation and angle."""
    r = object_size * rng.uniform(0.7, 1.3)
    ratio = rng.uniform(0.45, 1.0)
    angle = rng.uniform(0, np.pi)
    cy, cx = rng.uniform(2, size - 2, 2)
    c, s = np.cos(angle), np.sin(angle)
    u = (xx - cx) * c + (yy - cy) * s
    v = -(xx - cx) * s + (yy - cy) * c
    # "+ 0.25" keeps a one-pixel object for radii below 1.
    return (u / r) ** 2 + (v / (r * ratio)) ** 2 <= 1.0 + 0.25 / r**2


def _line(rng, yy, xx, size, object_size):
    """A thin straight segment (one to two pixels wide)."""
    length = object_size * rng.uniform(2.5, 5.0) + 2.0
    angle = rng.uniform(0, np.pi)
    cy, cx = rng.uniform(3, size - 3, 2)
    dy, dx = np.sin(angle), np.cos(angle)
    t = np.clip((yy - cy) * dy + (xx - cx) * dx, -length / 2, length / 2)
    dist = np.hypot(yy - (cy + t * dy), xx - (cx + t * dx))
    return dist <= rng.uniform(0.5, 0.9)


def make_split(
    n: int,
    fg_fraction: float = 0.01,
    object_size: float = 3.0,
    image_size: int = 64,
    seed: int = 0,
    stream: int = _TRAIN_STREAM,
    line_share: float = 0.35,
) -> Split:
    """Generate ``n`` images and masks (see the module docstring).

    Args:
        n: number of images.
        fg_fraction: share of foreground pixels to aim for, in [0.002, 0.1].
        object_size: typical blob radius in pixels (lines are a few times longer).
        image_size: side of the square images, a multiple of 4.
        seed: any non-negative integer; the same seed gives the same images.
        stream: independent sub-stream of the seed (0 train, 1 validation).
        line_share: probability that a new object is a thin line, not a blob.

    Returns:
        A :class:`Split`.
    """
    check_settings(n, 1, fg_fraction, object_size, image_size, seed)
    rng = np.random.default_rng([int(seed), int(stream)])
    size = image_size
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    area = size * size

    labels = np.zeros((n, size, size), np.int32)
    carry = 0.0  # foreground pixels still owed (or given in surplus) from earlier images
    for i in range(n):
        target = fg_fraction * area * rng.uniform(0.5, 1.5) + carry
        lab = labels[i]
        count = 0
        for _attempt in range(60):
            if count >= target:
                break
            if rng.random() < line_share:
                shape = _line(rng, yy, xx, size, object_size)
            else:
                shape = _blob(rng, yy, xx, size, object_size)
            new = shape & (lab == 0)  # objects may touch but the first one keeps its pixels
            added = int(new.sum())
            if added == 0:
                continue
            # Keep the object only when it brings the count closer to the target.
            if abs(count + added - target) < abs(count - target):
                lab[new] = lab.max() + 1
                count += added
            else:
                break
        carry = float(np.clip(target - count, -area / 4, area / 4))

    masks = (labels > 0).astype(np.float32)

    texture = _texture(rng, n, size)
    # Background: a grey level per image, bright and dark patches, pixel noise.
    base = rng.uniform(0.15, 0.35, (n, 1, 1))
    background = base + 0.35 * texture
    contrast = rng.uniform(0.25, 0.5, (n, 1, 1))  # objects are brighter by this much
    images = background + contrast * masks
    images += rng.normal(0.0, 0.08, images.shape)
    images = np.clip(images, 0.0, 1.0).astype(np.float32)

    return Split(images[..., None], masks[..., None], labels)


def make_task(
    n_train: int = 256,
    n_val: int = 64,
    fg_fraction: float = 0.01,
    object_size: float = 3.0,
    image_size: int = 64,
    seed: int = 0,
) -> Task:
    """A training split and a validation split from one seed.

    The validation split comes from its own sub-stream of the seed, so it stays
    the same when only ``n_train`` changes.
    """
    check_settings(n_train, n_val, fg_fraction, object_size, image_size, seed)
    common = dict(
        fg_fraction=fg_fraction, object_size=object_size, image_size=image_size, seed=seed
    )
    train = make_split(n_train, stream=_TRAIN_STREAM, **common)
    val = make_split(n_val, stream=_VAL_STREAM, **common)
    settings = dict(n_train=n_train, n_val=n_val, **common)
    return Task(train, val, settings)
