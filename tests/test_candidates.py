"""teaching.candidates: the predictions the compare page ranks, built from a ground truth."""

from __future__ import annotations

import numpy as np

from teaching import candidates
from tests import _ref
from ui.masks import presets


def test_box_blur_matches_a_direct_sum():
    rng = np.random.default_rng(0)
    a = rng.random((9, 11)).astype(np.float32)
    r = 2
    padded = np.pad(a.astype(np.float64), r)
    direct = np.zeros_like(a, dtype=np.float64)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            direct[i, j] = padded[i : i + 2 * r + 1, j : j + 2 * r + 1].sum() / (2 * r + 1) ** 2
    assert np.allclose(candidates.box_blur(a, r), direct, atol=1e-6)


def test_candidates_are_what_their_names_say():
    t, p = presets.load_preset("large")
    c = candidates.candidate_set(t, p, 3)
    assert tuple(c) == candidates.CANDIDATE_NAMES
    tt = t >= 0.5
    assert np.array_equal(c["perfect"], t)
    assert c["over-segmented"][tt].min() == 1 and c["over-segmented"][~tt].sum() > 0
    assert c["under-segmented"][~tt].max() == 0 and (1 - c["under-segmented"][tt]).sum() > 0
    assert c["shifted"].sum() <= t.sum() and not np.array_equal(c["shifted"], t)
    assert 0.0 < c["uncertain"].max() <= 0.6 + 1e-6
    assert np.array_equal(c["your prediction"], p)


def test_candidate_counts_are_the_float64_soft_counts():
    t, p = presets.load_preset("shifted")
    cands = candidates.candidate_set(t, p, 4)
    counts = candidates.candidate_counts(t, cands)
    for name, c in cands.items():
        tp, fp, fn, _ = _ref.counts(t, c)
        assert np.allclose(counts[name], (tp, fp, fn), rtol=1e-5, atol=1e-3), name
