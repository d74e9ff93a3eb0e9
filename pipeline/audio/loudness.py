"""Loudness: every clip at the same integrated loudness, peaks held under a ceiling.

ITU-R BS.1770 integrated loudness (``pyloudnorm``'s filters) sets the gain; a look-ahead
limiter working on true-peak estimates (2× oversampled, with an allowance) keeps the
peaks below :data:`CEILING_DBTP`, a little under the −1 dBTP standard to leave
room for MP3 encoding overshoot (measured: up to 1.1 dB). The speech is measured
once, in chunks of a few milliseconds, and the gain that puts the limited clip at
the target is found from those measurements.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

TARGET_LUFS = -16.0
CEILING_DBTP = -3.0
PEAK_ALLOWANCE_DB = 0.5
"""Added to the 2× oversampled peaks, for what lies between their points."""
HALFBAND_TAPS = 12
LOOKAHEAD_SECONDS = 0.005
FADE_SECONDS = 0.005
BLOCK_ROWS = 2048
"""Chunks worked on at a time: about half a megabyte, which stays in the processor's cache."""
TOLERANCE_LU = 0.1
MAX_ROUNDS = 20
MAX_BOOST = 24.0
"""dB of gain at most beyond what the unlimited speech needs: a short word whose peaks
stand far above its loudness ends as loud as the ceiling lets it, a little under target."""
FIRST_SLOPE = 0.5
"""LU gained per dB of gain once the limiter works, before two rounds have measured it:
espeak's peaks sit high above its loudness, and about half of more gain gets through."""


def fade(samples: np.ndarray, rate: int, seconds: float = FADE_SECONDS,
         scale: float = 1.0) -> np.ndarray:
    """``samples × scale`` with short raised-cosine fades at both ends, so clip edges
    never click."""
    out = np.multiply(samples, scale, dtype=np.float32)
    n = min(int(rate * seconds), len(out) // 2)
    if n > 0:
        ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
        out[:n] *= ramp
        out[-n:] *= ramp[::-1]
    return out


def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS of float samples in [-1, 1] (−inf for silence).

    ITU-R BS.1770-4 for one channel with ``pyloudnorm``'s K-weighting filters: 400 ms
    blocks every 100 ms (whole blocks only; pyloudnorm may add a last, partial one),
    gated at −70 LUFS and 10 LU below.
    """
    return _integrated(_measure(_rows(samples, rate), rate)[0][:len(samples) // _chunk(rate)],
                       rate)


def _chunk(rate: int) -> int:
    """Samples per chunk: the largest divisor of a 100 ms block step up to 64 (63 at 22050 Hz).

    Loudness and the limiter's gain are worked out per chunk, not per sample."""
    step = round(0.1 * rate)
    return max(d for d in range(1, 65) if step % d == 0)


def _rows(samples: np.ndarray, rate: int) -> np.ndarray:
    """A float32 copy of ``samples``, zero-padded to whole chunks (and to the 400 ms
    that BS.1770 needs at least), one chunk a row."""
    chunk = _chunk(rate)
    size = max(len(samples), rate // 2)
    rows = np.zeros(size + -size % chunk, np.float32)
    rows[:len(samples)] = samples
    return rows.reshape(-1, chunk)


def _measure(rows: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The K-weighted energy and the estimated true peak of each chunk (each row).

    One pass, a block of rows at a time, each block still in the processor's cache for
    the next step: K-weighted (single precision: a few ten-thousandths of a LU from
    double), its energy summed, its peaks found.
    """
    from scipy.signal import sosfilt

    sos = _k_weighting(rate)
    state = np.zeros((len(sos), 2), np.float32)
    reach = len(_halfway())
    flat = rows.ravel()
    energies = np.empty(len(rows))
    peaks = np.empty(len(rows))
    for first in range(0, len(rows), BLOCK_ROWS):
        block = rows[first:first + BLOCK_ROWS]
        weighted, state = sosfilt(sos, block.ravel(), zi=state)
        weighted = weighted.reshape(block.shape)
        energies[first:first + len(block)] = np.einsum("ij,ij->i", weighted, weighted)
        # the block with ``reach`` samples either side (zeros beyond the ends)
        start, end = first * rows.shape[1], (first + len(block)) * rows.shape[1]
        around = np.zeros(end - start + 2 * reach, np.float32)
        lo, hi = max(start - reach, 0), min(end + reach, len(flat))
        around[lo - start + reach:hi - start + reach] = flat[lo:hi]
        halfway = _halfway_values(around, reach).reshape(block.shape)
        peaks[first:first + len(block)] = np.maximum(
            np.abs(block).max(axis=1), np.abs(halfway, out=halfway).max(axis=1))
    return energies, peaks * 10 ** (PEAK_ALLOWANCE_DB / 20)


def _integrated(energies: np.ndarray, rate: int) -> float:
    """Gated integrated loudness from the K-weighted energy of each chunk."""
    step = round(0.1 * rate)
    per_step = step // _chunk(rate)
    steps = len(energies) // per_step
    sub = energies[:steps * per_step].reshape(steps, per_step).sum(axis=1)
    if steps < 4:
        return float("-inf")
    blocks = (sub[:-3] + sub[1:-2] + sub[2:-1] + sub[3:]) / (4 * step)
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
                     for name in ("high_shelf", "high_pass")], dtype=np.float32)


def normalise(samples: np.ndarray, rate: int) -> np.ndarray:
    """Float samples at :data:`TARGET_LUFS` with true peaks at most :data:`CEILING_DBTP`.

    The speech is measured once: the K-weighted energy and the true peak of each chunk.
    Limiting lowers the loudness, so the gain is found by the secant method on the
    loudness these measurements predict for the limited speech (within a few
    hundredths of a LU of the loudness measured on it afterwards: the limiter's gain
    changes slowly next to the K-weighting filters).
    """
    rows = _rows(samples, rate)
    energies, peaks = _measure(rows, rate)
    energies = energies[:len(samples) // rows.shape[1]]  # whole chunks only, as measured
    level = _integrated(energies, rate)
    if np.isfinite(level):
        gain = _search(energies, peaks, rate, TARGET_LUFS - level)
        _amplify(rows, _chunk_gains(peaks, gain, rate))
    return rows.ravel()[:len(samples)]


def _search(energies: np.ndarray, peaks: np.ndarray, rate: int, gain: float) -> float:
    """The gain (dB) whose limited loudness, as predicted per chunk, is the target."""
    target = TARGET_LUFS
    tried: list[tuple[float, float]] = []  # (gain dB, loudness predicted)
    for _ in range(MAX_ROUNDS):
        reached = _predicted(energies, peaks, gain, rate)
        if abs(reached - target) < TOLERANCE_LU / 2:
            break
        tried.append((gain, reached))
        slope = FIRST_SLOPE
        if len(tried) > 1:
            (g0, l0), (g1, l1) = tried[-2:]
            slope = min(max((l1 - l0) / (g1 - g0), 0.2), 1.0) if g1 != g0 else 1.0
        gain = min(gain + (target - reached) / slope, tried[0][0] + MAX_BOOST)
        if tried[-1][0] == gain:  # the limiter holds the loudness down: as loud as it gets
            break
    return gain


def _predicted(energies: np.ndarray, peaks: np.ndarray, gain: float, rate: int) -> float:
    """The loudness of the speech amplified by ``gain`` dB and limited, from its chunks."""
    return _integrated(energies * _chunk_gains(peaks, gain, rate)[:len(energies)] ** 2, rate)


def _halfway_values(around: np.ndarray, reach: int) -> np.ndarray:
    """The true peak's second look: the value halfway between each sample and the next,
    for the samples of ``around`` but its ``reach`` samples of context either side.

    The signal is oversampled 2× with a 23-tap half-band filter: its even phase is
    the samples themselves, its odd phase the points halfway between. Its taps are
    symmetric, so that phase is a sum over pairs of samples the same distance either
    side, ``c[k] · (x[n − k] + x[n + 1 + k])``, worked in place. What can still lie
    between those points (under 0.4 dB for the formants of speech, below 4 kHz) is
    allowed for by :data:`PEAK_ALLOWANCE_DB`.
    """
    n = len(around) - 2 * reach
    out = np.zeros(n, np.float32)
    pair = np.empty(n, np.float32)
    for k, tap in enumerate(_halfway()):  # around[reach + i] is sample i
        np.add(around[reach - k:][:n], around[reach + 1 + k:][:n], out=pair)
        pair *= tap
        out += pair
    return out


@lru_cache(maxsize=1)
def _halfway() -> np.ndarray:
    """The odd phase of a half-band interpolator, one side of its symmetric taps (the
    nearest first): the weights of the sample pairs around a point halfway between."""
    from scipy.signal import firwin

    odd = firwin(2 * HALFBAND_TAPS - 1, 0.5)[0::2] * 2
    return odd[HALFBAND_TAPS // 2:].astype(np.float32)  # type: ignore[no-any-return]


def _chunk_gains(peaks: np.ndarray, gain_db: float, rate: int,
                 ceiling_db: float = CEILING_DBTP) -> np.ndarray:
    """The look-ahead limiter's linear gain at the centre of each chunk, ``gain_db`` included.

    The gain falls smoothly over a few milliseconds *before* each peak that would pass
    the ceiling, and rises again after it. Every value averaged is a minimum over a
    window reaching one chunk past the average's own, so both this chunk's gain and its
    neighbours' stay under what this chunk's peak needs: a gain interpolated between
    chunk centres never lets a peak through.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    gain = 10 ** (gain_db / 20)
    needed = np.minimum(1.0, 10 ** (ceiling_db / 20) / np.maximum(peaks * gain, 1e-12))
    if needed.min() >= 1.0:
        return np.full(len(peaks), gain)
    reach = -(-int(rate * LOOKAHEAD_SECONDS) // _chunk(rate))  # chunks, rounded up
    smooth = uniform_filter1d(minimum_filter1d(needed, 2 * reach + 3, mode="nearest"),
                              2 * reach + 1, mode="nearest")
    return gain * smooth


def _amplify(rows: np.ndarray, gains: np.ndarray) -> None:
    """Multiply ``rows`` (one chunk each) by ``gains``, linear between the chunks'
    centres; in place, a block of rows at a time."""
    chunk = rows.shape[1]
    gains = gains.astype(np.float32)
    offset = ((np.arange(chunk) + 0.5) / chunk - 0.5).astype(np.float32)  # from the centre
    rising, falling = np.maximum(offset, 0), np.maximum(-offset, 0)
    before = np.concatenate([gains[:1], gains[:-1]]) - gains
    after = np.concatenate([gains[1:], gains[-1:]]) - gains
    for first in range(0, len(rows), BLOCK_ROWS):
        part = slice(first, first + BLOCK_ROWS)
        factor = np.multiply.outer(before[part], falling)
        factor += np.multiply.outer(after[part], rising)
        factor += gains[part, None]
        rows[part] *= factor
