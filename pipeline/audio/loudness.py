"""Loudness: every clip at the same integrated loudness, peaks held under a ceiling.

ITU-R BS.1770 integrated loudness (``pyloudnorm``'s filters) sets the gain; a look-ahead
limiter working on a 4× oversampled signal (a true-peak estimate) keeps the
peaks below :data:`CEILING_DBTP`, a little under the −1 dBTP standard to leave
room for MP3 encoding overshoot (measured: up to 1.1 dB). Gain and limiting alternate until the clip
sits at the target.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

TARGET_LUFS = -16.0
CEILING_DBTP = -3.0
OVERSAMPLE = 4
LOOKAHEAD_SECONDS = 0.005
FADE_SECONDS = 0.005
TOLERANCE_LU = 0.1
MAX_ROUNDS = 6
FIRST_SLOPE = 0.5
"""LU gained per dB of gain once the limiter works, before two rounds have measured it:
espeak's peaks sit high above its loudness, and about half of more gain gets through."""


def fade(samples: np.ndarray, rate: int, seconds: float = FADE_SECONDS) -> np.ndarray:
    """Short raised-cosine fades at both ends, so clip edges never click."""
    out = samples.astype(np.float64)
    n = min(int(rate * seconds), len(out) // 2)
    if n > 0:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS of float samples in [-1, 1] (−inf for silence).

    ITU-R BS.1770-4 for one channel with ``pyloudnorm``'s K-weighting filters: 400 ms
    blocks every 100 ms (whole blocks only; pyloudnorm may add a last, partial one),
    gated at −70 LUFS and 10 LU below. The blocks' energies come from one running sum:
    a clip is measured a few times while its gain is found, and this is three times
    quicker than ``Meter.integrated_loudness``.
    """
    from scipy.signal import sosfilt

    if len(samples) < rate // 2:  # BS.1770 needs at least one 400 ms block
        samples = np.concatenate([samples, np.zeros(rate // 2 - len(samples))])
    weighted = sosfilt(_k_weighting(rate), samples)
    energy = np.concatenate([[0.0], np.cumsum(weighted * weighted)])
    size, step = round(0.4 * rate), round(0.1 * rate)
    starts = np.arange(0, len(samples) - size + 1, step)
    blocks = (energy[starts + size] - energy[starts]) / size
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(blocks)
    blocks, levels = blocks[levels > -70.0], levels[levels > -70.0]  # the absolute gate
    if not len(blocks):
        return float("-inf")
    relative = -0.691 + 10 * np.log10(blocks.mean()) - 10.0
    return float(-0.691 + 10 * np.log10(blocks[levels > relative].mean()))


@lru_cache(maxsize=4)
def _k_weighting(rate: int) -> np.ndarray:
    """BS.1770's K-weighting at ``rate`` as second-order sections, from pyloudnorm."""
    import pyloudnorm

    filters = pyloudnorm.Meter(rate)._filters  # pyloudnorm 0.2.0: {name: IIRfilter}
    return np.array([[*filters[name].b, *filters[name].a]
                     for name in ("high_shelf", "high_pass")])


def normalise(samples: np.ndarray, rate: int) -> np.ndarray:
    """Float samples at :data:`TARGET_LUFS` with true peaks at most :data:`CEILING_DBTP`.

    Limiting lowers the loudness, so the gain is found by the secant method on
    ``loudness(limit(samples × gain))``; two or three rounds suffice.
    """
    out = samples.astype(np.float64)
    level = loudness(out, rate)
    if not np.isfinite(level):
        return out
    peaks = peak_envelope(out)
    tried: list[tuple[float, float]] = []  # (gain dB, loudness reached)
    gain = TARGET_LUFS - level
    for _ in range(MAX_ROUNDS):
        limited = limit(out, rate, gain, peaks)
        reached = loudness(limited, rate)
        if abs(reached - TARGET_LUFS) < TOLERANCE_LU:
            break
        tried.append((gain, reached))
        slope = FIRST_SLOPE
        if len(tried) > 1:
            (g0, l0), (g1, l1) = tried[-2:]
            slope = min(max((l1 - l0) / (g1 - g0), 0.2), 1.0) if g1 != g0 else 1.0
        gain += (TARGET_LUFS - reached) / slope
    return limited


def peak_envelope(samples: np.ndarray) -> np.ndarray:
    """For each sample, the highest absolute value of the 4× oversampled signal at it.

    The oversampled signal is computed phase by phase (a 48-tap polyphase
    interpolator, as in BS.1770 annex 2), so no 4×-long array is ever built.
    """
    peaks = np.abs(samples)
    for phase in _polyphase()[1:]:
        np.maximum(peaks, np.abs(np.convolve(samples, phase, mode="same")), out=peaks)
    return peaks


@lru_cache(maxsize=1)
def _polyphase() -> tuple[np.ndarray, ...]:
    from scipy.signal import firwin

    taps = firwin(12 * OVERSAMPLE, 1.0 / OVERSAMPLE) * OVERSAMPLE
    return tuple(taps[k::OVERSAMPLE] for k in range(OVERSAMPLE))


def limit(
    samples: np.ndarray,
    rate: int,
    gain_db: float,
    peaks: np.ndarray,
    ceiling_db: float = CEILING_DBTP,
) -> np.ndarray:
    """``samples`` amplified by ``gain_db`` through a look-ahead peak limiter.

    ``peaks`` is :func:`peak_envelope` of ``samples``. The limiter's gain falls
    smoothly over a few milliseconds *before* each peak that would pass the
    ceiling, and rises again after it.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    gain = 10 ** (gain_db / 20)
    ceiling = 10 ** (ceiling_db / 20)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks * gain, 1e-12))
    if needed.min() >= 1.0:
        return samples * gain
    width = 2 * int(rate * LOOKAHEAD_SECONDS) + 1
    # Every value averaged below is a minimum over a window that includes this sample,
    # so the smoothed gain never exceeds the gain this sample needs.
    smooth = uniform_filter1d(
        minimum_filter1d(needed, width, mode="nearest"), width, mode="nearest"
    )
    return samples * gain * np.minimum(smooth, needed)
