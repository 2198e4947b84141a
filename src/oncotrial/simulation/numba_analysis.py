"""Numba kernels that analyse one simulated trial at one look.

1. :func:`select_cuts`: the calendar times of the ``D_k``-th events (exact selection: a histogram of
   calendar times over ``B`` buckets, then a sort of the one bucket holding the ``D``-th value).
2. :func:`sort_observed`: observed times ``X = min(T, dropout, cut - entry)`` of the patients
   entered by the cut, bucket-sorted (counting sort on ``B`` buckets of ``[0, cut]``, then an
   insertion pass: linear time for these data), each with the code ``event | arm << 1 | stratum << 2``.
3. :func:`logrank_fast` and :func:`analyse_sorted`: one pass over the sorted patients computes
   the log-rank score :math:`U = \\sum_{events} (g - r_1/r)` and variance
   :math:`V = \\sum_{events} r_1 r_0 / r^2` (no ties: continuous times), and, as requested, the
   stratified and Fleming–Harrington versions, Kaplan–Meier and binary landmark rates, the Cox
   estimate (Newton on the two-group partial likelihood) and the RMST difference.
"""

from __future__ import annotations

import math

import numpy as np

from oncotrial.simulation.kernel_types import BoolArray, FloatArray, IntArray, inline_kernel, kernel
from oncotrial.simulation.mvn_orthant import maxcombo_pvalue, norm_ppf
from oncotrial.simulation.mvn_two_sided import maxcombo_pvalue_two_sided
from oncotrial.simulation.numba_tests import cox_newton, rmst_arm

B = 256


@inline_kernel
def select_cuts(cal: FloatArray, n: int, looks: FloatArray, scale: float, hist: IntArray, bidx: IntArray,
                cand: FloatArray, cuts: FloatArray) -> int:
    """``cuts[k]`` = the ``looks[k]``-th smallest finite ``cal[:n]`` (inf if fewer); returns the count.

    One histogram over ``B`` buckets serves every look; only the bucket holding the wanted
    order statistic is sorted.
    """
    for b in range(B + 1):
        hist[b] = 0
    for i in range(n):
        v = cal[i] * scale
        bidx[i] = np.int64(min(v, B - 1.0)) + (1 if v == np.inf else 0)
    for i in range(n):
        hist[bidx[i]] += 1
    total = n - hist[B]
    cum = 0
    b = 0
    for k in range(looks.size):
        target = np.int64(looks[k])
        if total < target:
            cuts[k] = np.inf
            continue
        while cum + hist[b] < target:
            cum += hist[b]
            b += 1
        m = 0
        for i in range(n):
            if bidx[i] == b:
                x = cal[i]
                j = m
                while j > 0 and cand[j - 1] > x:
                    cand[j] = cand[j - 1]
                    j -= 1
                cand[j] = x
                m += 1
        cuts[k] = cand[target - cum - 1]
    return int(total)


@inline_kernel
def last_finite(cal: FloatArray, n: int, fallback: float) -> float:
    best = -np.inf
    for i in range(n):
        if cal[i] < np.inf and cal[i] > best:
            best = cal[i]
    return fallback if best == -np.inf else best


@inline_kernel
def sort_observed(cut: float, m: int, entry: FloatArray, ttime: FloatArray, dtime: FloatArray,
                  cal: FloatArray, arm: IntArray, strat: IntArray, xs: FloatArray, cs: IntArray,
                  tx: FloatArray, tc: IntArray, bidx: IntArray, hist: IntArray) -> int:
    """Bucket-sort the observed times of patients ``0..m-1`` (all entered by ``cut``); returns events."""
    scale = B / cut if cut > 0 else 0.0
    for b in range(B + 1):
        hist[b] = 0
    d = 0
    for i in range(m):
        x = min(ttime[i], dtime[i], cut - entry[i])
        ev = 1 if cal[i] <= cut else 0
        d += ev
        tx[i] = x
        tc[i] = ev | (arm[i] << 1) | (strat[i] << 2)
    for i in range(m):
        slot = np.int64(min(tx[i] * scale, B - 1.0))
        bidx[i] = slot
        hist[slot + 1] += 1
    for b in range(B):
        hist[b + 1] += hist[b]
    for i in range(m):
        slot = bidx[i]
        pos = hist[slot]
        hist[slot] = pos + 1
        xs[pos] = tx[i]
        cs[pos] = tc[i]
    for i in range(1, m):
        x = xs[i]
        if xs[i - 1] > x:
            c = cs[i]
            j = i
            while j > 0 and xs[j - 1] > x:
                xs[j] = xs[j - 1]
                cs[j] = cs[j - 1]
                j -= 1
            xs[j] = x
            cs[j] = c
    return d


@inline_kernel
def logrank_fast(cs: IntArray, m: int, r1s: FloatArray) -> tuple[float, float]:
    """(U, V) of the log-rank test from sorted codes; ``r1s`` is scratch."""
    r1 = 0
    for i in range(m - 1, -1, -1):
        r1 += (cs[i] >> 1) & 1
        r1s[i] = r1
    u = 0.0
    v = 0.0
    for i in range(m):
        ev = np.float64(cs[i] & 1)
        g = np.float64((cs[i] >> 1) & 1)
        p = r1s[i] / np.float64(m - i)
        u += ev * (g - p)
        v += ev * (p * (1.0 - p))
    return u, v


@kernel
def analyse_sorted(xs: FloatArray, cs: IntArray, m: int, n_strata: int, tests: IntArray, want: BoolArray,
                   landmark: float, rho: float, gamma: float, tau: float, work: FloatArray, acc: FloatArray,
                   zk: FloatArray, ek: FloatArray, mcv: FloatArray, mcu: FloatArray, mcf: FloatArray,
                   outer: FloatArray, inner: FloatArray, mc_sided: int) -> None:
    """All requested tests at one look; writes z-values to ``zk`` and estimates to ``ek``.

    ``want[code]`` flags the requested tests; ``work`` is float scratch of shape (9, max(n, strata))
    and ``acc`` float scratch of 8 values; ``mcv`` (4, 4), ``mcu`` (4,) and ``mcf`` (7,) are MaxCombo
    scratch, ``outer``/``inner`` its quadrature rules (:mod:`.mvn_orthant`), ``mc_sided`` 1 or 2.
    """
    rs = work[0]
    rs1 = work[1]
    for s in range(n_strata):
        rs[s] = 0.0
        rs1[s] = 0.0
    r1 = 0.0
    for i in range(m):
        g = (cs[i] >> 1) & 1
        s = cs[i] >> 2
        r1 += g
        rs[s] += 1.0
        rs1[s] += g
    nr = np.float64(m)
    u = v = us = vs = uw = vw = 0.0
    pool = 1.0
    km_s = acc[0:2]
    km_g = acc[2:4]
    succ = acc[4:6]
    fail = acc[6:8]
    km_s[:] = 1.0
    acc[2:8] = 0.0
    ev_r1 = work[2]
    ev_r0 = work[3]
    ev_g = work[4]
    d = 0
    rm_t = work[5:7]
    rm_n = work[7:9]
    rm_k0 = 0
    rm_k1 = 0
    if want[7]:
        mcv[:, :] = 0.0
        mcu[:] = 0.0
    for i in range(m):
        c = cs[i]
        x = xs[i]
        ev = c & 1
        g = (c >> 1) & 1
        s = c >> 2
        r0 = nr - r1
        if ev:
            p = r1 / nr
            u += g - p
            v += p * (1.0 - p)
            if want[1]:
                ps = rs1[s] / rs[s]
                us += g - ps
                vs += ps * (1.0 - ps)
            if want[2]:
                w = pool ** rho * (1.0 - pool) ** gamma
                uw += w * (g - p)
                vw += w * w * p * (1.0 - p)
            if want[7]:
                _maxcombo_step(pool, g, p, mcu, mcv)
            if want[2] or want[7]:
                pool *= 1.0 - 1.0 / nr
            if want[3] and x <= landmark:
                ra = r1 if g else r0
                if ra > 1.0:
                    km_g[g] += 1.0 / (ra * (ra - 1.0))
                km_s[g] *= 1.0 - 1.0 / ra
            if want[5]:
                ev_r1[d] = r1
                ev_r0[d] = r0
                ev_g[d] = g
            if want[6] and x <= tau:
                if g:
                    rm_t[1, rm_k1] = x
                    rm_n[1, rm_k1] = r1
                    rm_k1 += 1
                else:
                    rm_t[0, rm_k0] = x
                    rm_n[0, rm_k0] = r0
                    rm_k0 += 1
            d += 1
        if want[4]:
            if ev and x <= landmark:
                fail[g] += 1.0
            elif x >= landmark:
                succ[g] += 1.0
        nr -= 1.0
        r1 -= g
        rs[s] -= 1.0
        rs1[s] -= g
    for j in range(tests.size):
        t = tests[j]
        z = 0.0
        est = np.nan
        if t == 0:
            z, est = _score_z(u, v)
        elif t == 1:
            z, est = _score_z(us, vs)
        elif t == 2:
            z, est = _score_z(uw, vw)
        elif t == 3:
            est = km_s[1] - km_s[0]
            var = km_s[1] ** 2 * km_g[1] + km_s[0] ** 2 * km_g[0]
            z = est / math.sqrt(var) if var > 0 else 0.0
        elif t == 4:
            z, est = _binary_z(succ, fail)
        elif t == 5:
            z, est = cox_newton(ev_r1, ev_r0, ev_g, d, u, v)
        elif t == 6:
            a1, v1 = rmst_arm(rm_t[1], rm_n[1], rm_k1, tau)
            a0, v0 = rmst_arm(rm_t[0], rm_n[0], rm_k0, tau)
            est = a1 - a0
            z = est / math.sqrt(v1 + v0) if v1 + v0 > 0 else 0.0
        elif t == 7:
            z, est = _maxcombo_z(mcu, mcv, mcf, outer, inner, mc_sided)
        zk[j] = z
        ek[j] = est


@inline_kernel
def _maxcombo_step(s: float, g: int, p: float, mcu: FloatArray, mcv: FloatArray) -> None:
    """Add one event to the FH(0,0), FH(0,1), FH(1,0), FH(1,1) scores and their covariances."""
    w0 = 1.0
    w1 = 1.0 - s
    w2 = s
    w3 = s * (1.0 - s)
    q = p * (1.0 - p)
    d = g - p
    mcu[0] += w0 * d
    mcu[1] += w1 * d
    mcu[2] += w2 * d
    mcu[3] += w3 * d
    for a in range(4):
        wa = w0 if a == 0 else (w1 if a == 1 else (w2 if a == 2 else w3))
        mcv[a, 0] += wa * w0 * q
        mcv[a, 1] += wa * w1 * q
        mcv[a, 2] += wa * w2 * q
        mcv[a, 3] += wa * w3 * q


@kernel
def _maxcombo_z(mcu: FloatArray, mcv: FloatArray, mcf: FloatArray, outer: FloatArray, inner: FloatArray,
                sided: int) -> tuple[float, float]:
    """(z, p) of the MaxCombo test; (0, NaN) when a variance is 0 or degenerate.

    One-sided: ``p = P(max Z >= z_max)``, ``z = -Phi^-1(p)``. Two-sided: ``p = P(max |Z| >= |z|_max)``,
    ``z = sign * -Phi^-1(p / 2)`` with the sign of the statistic largest in absolute value.
    """
    zmax = -np.inf
    sign = 1.0
    for a in range(4):
        if not mcv[a, a] > 0.0:
            return 0.0, np.nan
        za = -mcu[a] / math.sqrt(mcv[a, a])
        if sided == 2:
            if abs(za) > zmax:
                zmax = abs(za)
                sign = -1.0 if za < 0.0 else 1.0
        elif za > zmax:
            zmax = za
    if sided == 2:
        pval = maxcombo_pvalue_two_sided(zmax, mcv, mcf, outer, inner)
        if pval != pval:
            return 0.0, np.nan
        return sign * -norm_ppf(0.5 * pval), pval
    pval = maxcombo_pvalue(zmax, mcv, mcf, outer, inner)
    if pval != pval:
        return 0.0, np.nan
    return -norm_ppf(pval), pval


@inline_kernel
def _score_z(u: float, v: float) -> tuple[float, float]:
    """z oriented for the experimental arm (positive = fewer events than expected), estimate U/V."""
    if v > 0:
        return -u / math.sqrt(v), u / v
    return 0.0, np.nan


@inline_kernel
def _binary_z(succ: FloatArray, fail: FloatArray) -> tuple[float, float]:
    n1 = succ[1] + fail[1]
    n0 = succ[0] + fail[0]
    if n1 == 0 or n0 == 0:
        return 0.0, np.nan
    p1 = succ[1] / n1
    p0 = succ[0] / n0
    pool = (succ[1] + succ[0]) / (n1 + n0)
    var = pool * (1.0 - pool) * (1.0 / n1 + 1.0 / n0)
    return ((p1 - p0) / math.sqrt(var) if var > 0 else 0.0), p1 - p0
