"""The mask input every loss page shares: presets, painting and upload.

What pages call::

    y_true, y_pred = masks.get_masks()   # float32 (256, 256) in [0, 1], the same on every page
    masks.get_mask_info()                # where they come from (preset, paint, upload)
    masks.render_mask_input()            # the whole input section, outside any fragment
    masks.masks_digest()                 # the key of every cached computation on them
    masks.source_words()                 # "preset: ..." / "your own masks", for slide titles

``input`` holds the widget and the session state, ``imageio`` turns canvases and
uploads into masks (pure functions, tested directly), ``presets`` reads the
ready-made pairs under ``assets/presets``.
"""

from .input import (
    KEY_PREFIX,
    ROLES,
    SIZE,
    get_mask_info,
    get_masks,
    link_fields,
    masks_digest,
    masks_version,
    pair_digest,
    render_mask_input,
    select_preset,
    set_masks,
    source_words,
)

__all__ = [
    "KEY_PREFIX",
    "ROLES",
    "SIZE",
    "get_mask_info",
    "get_masks",
    "link_fields",
    "masks_digest",
    "masks_version",
    "pair_digest",
    "render_mask_input",
    "select_preset",
    "set_masks",
    "source_words",
]
