"""Philox4x32-10 equals Random123's known answers, and both engines draw the same uniforms."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit

from oncotrial.simulation.philox import (
    fill_patient_uniforms,
    patient_uniforms_np,
    philox_words,
    philox_words_np,
    seed_key,
)

# Random123 kat_vectors: counter (4 words), key (2 words) -> output (4 words)
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF, 0xFFFFFFFF), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@njit(cache=True)
def _philox(c: np.ndarray, k: np.ndarray) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    return philox_words(c[0], c[1], c[2], c[3], k[0], k[1])  # type: ignore[no-any-return]


@njit(cache=True)
def _uniforms(n: int, trial: int, stream: int, k0: np.uint64, k1: np.uint64) -> np.ndarray:
    out = np.empty(n)
    fill_patient_uniforms(out, n, trial, stream, k0, k1)
    return out


@pytest.mark.parametrize(("counter", "key", "expected"), KAT)
def test_philox_matches_random123_known_answers_in_both_spellings(counter, key, expected) -> None:
    got = _philox(np.array(counter, np.uint64), np.array(key, np.uint64))
    assert [int(w) for w in got] == list(expected)
    vec = philox_words_np(*(np.array([c], np.uint64) for c in counter), key[0], key[1])
    assert [int(w[0]) for w in vec] == list(expected)


@pytest.mark.parametrize("n", [1, 2, 119, 120, 121])
def test_numba_and_numpy_draw_identical_uniforms_for_any_trial(n: int) -> None:
    trials = np.array([0, 1, 977, 2**32 + 5], dtype=np.int64)
    k0, k1 = seed_key(2**40 + 12345)
    ref = patient_uniforms_np(trials, n, 3, (k0, k1))
    for row, t in enumerate(trials):
        assert np.array_equal(_uniforms(n, int(t), 3, np.uint64(k0), np.uint64(k1)), ref[row])


def test_uniforms_lie_strictly_inside_the_unit_interval_and_look_uniform() -> None:
    u = patient_uniforms_np(np.arange(20_000, dtype=np.int64), 120, 0, seed_key(7))
    assert u.min() > 0.0 and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 4 * np.sqrt(1 / 12 / u.size)
    assert abs((-np.log(u)).mean() - 1.0) < 4 / np.sqrt(u.size)


def test_streams_and_seeds_give_different_numbers() -> None:
    t = np.arange(4, dtype=np.int64)
    a = patient_uniforms_np(t, 10, 0, seed_key(1))
    assert not np.array_equal(a, patient_uniforms_np(t, 10, 1, seed_key(1)))
    assert not np.array_equal(a, patient_uniforms_np(t, 10, 0, seed_key(2)))
