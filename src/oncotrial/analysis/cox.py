"""Cox proportional hazards model, numerically identical to R ``survival::coxph``.

The hazard of patient :math:`i` in stratum :math:`s` is :math:`h_s(t)\\exp(x_i^\\top\\beta)`
with a separate, unspecified baseline :math:`h_s` per stratum (Cox, *JRSS B* 34, 1972).
:math:`\\hat\\beta` maximises the partial likelihood with Efron (R's default), Breslow or
exact handling of tied event times (:mod:`oncotrial.analysis.cox_ties`), found by
Newton–Raphson with R's stopping rule (:mod:`oncotrial.analysis.cox_newton`). From the fit
(Therneau & Grambsch 2000, §3.4; R ``summary.coxph``), with :math:`V = I(\\hat\\beta)^{-1}`:

* standard errors :math:`\\sqrt{V_{jj}}`, :math:`z = \\hat\\beta_j/\\text{se}_j`,
  :math:`p = 2\\Phi(-|z|)`, hazard ratio :math:`e^{\\hat\\beta_j}` with Wald limits
  :math:`\\exp(\\hat\\beta_j \\pm z_{1-\\alpha/2}\\,\\text{se}_j)`;
* likelihood-ratio test :math:`2(\\ell(\\hat\\beta) - \\ell(0))`, Wald test
  :math:`\\hat\\beta^\\top V^{-1}\\hat\\beta`, score (log-rank) test
  :math:`u(0)^\\top I(0)^{-1} u(0)`, each :math:`\\chi^2` on as many degrees of freedom as
  estimated coefficients.

As R, near-tied times are merged first (``aeqSurv``, :mod:`oncotrial.analysis.timefix`), and
covariates are centred and scaled internally (those with values in {-1, 0, 1} are left as they
are: R's ``nocenter``); the results are on the original scale.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal, Self, get_args

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri
from scipy.stats import chi2

from oncotrial.analysis.cox_newton import LDL, R_EPS, R_ITER_MAX, R_TOLER_CHOL, NewtonFit, newton_raphson
from oncotrial.analysis.cox_ties import RiskSets, Ties, partial_likelihood
from oncotrial.analysis.rendering import render_html, render_text
from oncotrial.analysis.survival_data import FloatArray, check_durations, check_events, check_labels
from oncotrial.analysis.timefix import merge_near_ties
from oncotrial.core.errors import DomainError

TIES: tuple[str, ...] = get_args(Ties)
Convergence = Literal["r", "full"]


class CoxConvergenceWarning(RuntimeWarning):
    """The fit did not converge, or a coefficient may be infinite (R's ``coxph`` warnings)."""


@dataclass(frozen=True, slots=True)
class ChiSquareTest:
    """A global test: statistic, degrees of freedom and :math:`P(\\chi^2_{df} > \\text{statistic})`."""

    statistic: float
    df: int
    p_value: float

    @classmethod
    def of(cls, statistic: float, df: int) -> ChiSquareTest:
        return cls(float(statistic), df, float(chi2.sf(statistic, df)) if df > 0 else float("nan"))


def covariate_matrix(covariates: Any, n: int) -> tuple[FloatArray, list[str]]:
    """Covariates as an (n, p) float array with names (DataFrame columns, Series name or x1..xp)."""
    if isinstance(covariates, pd.DataFrame):
        names = [str(c) for c in covariates.columns]
        values = covariates.to_numpy()
    elif isinstance(covariates, pd.Series):
        names = [str(covariates.name) if covariates.name is not None else "x1"]
        values = covariates.to_numpy()
    else:
        values = np.asarray(covariates)
        names = []
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DomainError("covariates", covariates, "numbers (code categories as 0/1 columns)") from exc
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] != n or x.shape[1] == 0:
        raise DomainError("covariates", f"array of shape {x.shape}",
                          f"one row per patient ({n}) and at least one column")
    bad = ~np.isfinite(x)
    if bad.any():
        row, col = (int(v[0]) for v in np.nonzero(bad))
        raise DomainError(f"covariates[{row}, {col}]", float(x[row, col]), "a finite number",
                          "drop patients with a missing covariate (R's na.omit) or impute it first")
    return x, names or [f"x{j + 1}" for j in range(x.shape[1])]


def _r_scaling(x: FloatArray, ties: str) -> tuple[FloatArray, FloatArray]:
    """Centre and scale factor per column as R: mean/mean-absolute-deviation (coxfit6) or sd (exact)."""
    p = x.shape[1]
    center, factor = np.zeros(p), np.ones(p)
    for j in range(p):
        col = x[:, j]
        if np.isin(col, (-1.0, 0.0, 1.0)).all():
            continue
        center[j] = math.fsum(col.tolist()) / col.size
        dev = col - center[j]
        spread = float(np.std(col, ddof=1)) if ties == "exact" and col.size > 1 else float(np.abs(dev).mean())
        factor[j] = 1.0 / spread if spread > 0 else 1.0
    return center, factor


class CoxPH:
    """Cox proportional hazards regression, numerically identical to R ``coxph``.

    Parameters
    ----------
    ties:
        ``"efron"`` (R's default), ``"breslow"`` (SAS's default) or ``"exact"`` (R's exact
        partial likelihood = conditional logistic = SAS ``TIES=DISCRETE``).
    conf_level:
        Coverage of the hazard-ratio confidence intervals.
    eps, iter_max, toler_chol, toler_inf:
        R's ``coxph.control`` settings (``toler_inf`` defaults to ``sqrt(eps)``).
    converge:
        ``"r"``: stop where R stops (relative change in log-likelihood ≤ ``eps``);
        ``"full"``: then continue Newton steps until the step is negligible (≈1e-12).
    timefix:
        Merge near-tied times as R's ``aeqSurv`` (``coxph.control(timefix = TRUE)``).

    Attributes
    ----------
    params_, standard_errors_, hazard_ratios_:
        Series indexed by covariate; missing (NaN) for a redundant covariate, as R's ``NA``.
    variance_matrix_:
        :math:`I(\\hat\\beta)^{-1}` (model-based), DataFrame.
    confidence_intervals_:
        Wald limits of the hazard ratios.
    log_likelihood_null_, log_likelihood_:
        :math:`\\ell(0)` and :math:`\\ell(\\hat\\beta)` (R's ``fit$loglik``).
    likelihood_ratio_test_, wald_test_, score_test_:
        :class:`ChiSquareTest`.
    score_:
        Score vector :math:`u(\\hat\\beta)` (≈ 0 at convergence).
    n_, n_events_, n_strata_, iterations_, converged_, notes_:
        Counts, R's ``fit$iter``, convergence and R's warnings (also issued as
        :class:`CoxConvergenceWarning`).

    Notes
    -----
    The iteration path, the number of iterations (``iter.max + 1`` reported for Breslow/Efron
    when the iterations run out, as R does), missing coefficients for redundant covariates and
    R's warnings are reproduced. One deliberate difference: when the iterations run out, R's
    ``fit$var`` is not the inverse information (its C code inverts an unfactored matrix); here
    it is :math:`I(\\hat\\beta)^{-1}` at the reported coefficients. The exact method costs
    :math:`O(d_{\\max} n)` per stratum and iteration, where :math:`d_{\\max}` is the largest
    number of tied events.

    Examples
    --------
    >>> cph = CoxPH().fit([9, 13, 13, 18, 23, 28, 31], [1, 1, 0, 1, 1, 0, 1], [0, 1, 0, 1, 0, 1, 1])
    >>> round(float(cph.hazard_ratios_["x1"]), 6)  # R: exp(coef(coxph(...))) = 0.5
    0.5
    """

    def __init__(
        self, ties: Ties = "efron", *, conf_level: float = 0.95, eps: float = R_EPS,
        iter_max: int = R_ITER_MAX, toler_chol: float = R_TOLER_CHOL, toler_inf: float | None = None,
        converge: Convergence = "r", timefix: bool = True,
    ) -> None:
        self.ties = ties
        self.conf_level = conf_level
        self.eps = eps
        self.iter_max = iter_max
        self.toler_chol = toler_chol
        self.toler_inf = toler_inf
        self.converge = converge
        self.timefix = timefix

    def _check_settings(self) -> None:
        if self.ties not in TIES:
            raise DomainError("ties", self.ties, f"one of {', '.join(TIES)}", "R's default is 'efron'")
        if not 0.0 < self.conf_level < 1.0:
            raise DomainError("conf_level", self.conf_level, "a probability in (0, 1), such as 0.95")
        if not self.eps > 0 or not self.toler_chol > 0 or self.iter_max < 0:
            raise DomainError("eps/toler_chol/iter_max", (self.eps, self.toler_chol, self.iter_max),
                              "eps > 0, toler_chol > 0 and iter_max ≥ 0 (R: 1e-9, 1.8e-12, 20)")
        if self.converge not in ("r", "full"):
            raise DomainError("converge", self.converge, "'r' (R's rule) or 'full'")

    def fit(self, durations: ArrayLike, event_observed: ArrayLike | None, covariates: Any,
            strata: ArrayLike | None = None) -> Self:
        """Fit the model, as R ``coxph(Surv(time, event) ~ x1 + ... + strata(s), ties = ...)``.

        Parameters
        ----------
        durations, event_observed:
            Follow-up times and event indicators (1 = event, 0 = censored).
        covariates:
            A DataFrame, Series or (n, p) / (n,) array of numeric covariates.
        strata:
            Optional stratum label per patient (separate baseline hazards).

        Returns
        -------
        CoxPH
            ``self``, with the fitted attributes set.
        """
        self._check_settings()
        t = check_durations(durations)
        e = check_events(event_observed, t.size)
        x, names = covariate_matrix(covariates, t.size)
        if strata is None:
            s = np.zeros(t.size, dtype=np.intp)
            n_strata = 1
        else:
            levels, s = check_labels(strata, t.size, field="strata")
            n_strata = int(levels.size)
        if not e.any():
            raise DomainError("event_observed", "no events", "at least one event",
                              "a Cox model needs observed events")
        if self.timefix:
            t = merge_near_ties(t)
        center, factor = _r_scaling(x, self.ties)
        rs = RiskSets.build(t, e, s, (x - center) * factor)
        ties: Ties = self.ties

        def objective(beta: FloatArray) -> tuple[float, FloatArray, FloatArray]:
            return partial_likelihood(rs, beta, ties)

        result = newton_raphson(objective, np.zeros(x.shape[1]), eps=self.eps, iter_max=self.iter_max,
                                toler_chol=self.toler_chol, full=self.converge == "full",
                                routine="coxexact" if ties == "exact" else "coxfit6")
        self.n_, self.n_events_, self.n_strata_ = int(t.size), int(e.sum()), n_strata
        self._store(result, factor, names)
        self._warn(result, x - center, factor)
        return self

    def _store(self, fit: NewtonFit, factor: FloatArray, names: list[str]) -> None:
        coef = fit.beta * factor
        var = fit.variance * np.outer(factor, factor)
        # R marks a coefficient NA only when the fit converged with a rank-deficient information
        redundant = (np.diag(var) == 0) & fit.converged & (fit.iterations > 0)
        coef[redundant] = np.nan
        se = np.sqrt(np.where(redundant, np.nan, np.diag(var)))
        index = pd.Index(names, name="covariate")
        z = float(ndtri(1.0 - (1.0 - self.conf_level) / 2.0))
        pct = f"{self.conf_level:.0%}"
        with np.errstate(over="ignore"):  # an infinite hazard ratio is reported as inf, as R does
            hr, lower, upper = np.exp(coef), np.exp(coef - z * se), np.exp(coef + z * se)
        self.params_ = pd.Series(coef, index=index, name="coef")
        self.standard_errors_ = pd.Series(se, index=index, name="se(coef)")
        self.hazard_ratios_ = pd.Series(hr, index=index, name="exp(coef)")
        self.variance_matrix_ = pd.DataFrame(var, index=index, columns=index)
        self.confidence_intervals_ = pd.DataFrame(
            {f"exp(coef) lower {pct}": lower, f"exp(coef) upper {pct}": upper}, index=index)
        self.log_likelihood_null_ = fit.loglik_init
        self.log_likelihood_ = fit.loglik
        self.iterations_ = fit.iterations
        self.converged_ = fit.converged
        self.score_ = fit.score / factor
        df = int(np.count_nonzero(~redundant))
        keep = ~redundant
        b = coef[keep]
        wald = float(b @ LDL.factor(var[np.ix_(keep, keep)], self.toler_chol).solve(b)) if df else 0.0
        self.likelihood_ratio_test_ = ChiSquareTest.of(2.0 * (fit.loglik - fit.loglik_init), df)
        self.wald_test_ = ChiSquareTest.of(wald, df)
        self.score_test_ = ChiSquareTest.of(fit.score_test, df)

    def _warn(self, fit: NewtonFit, centred: FloatArray, factor: FloatArray) -> None:
        """R's checks after the fit (``coxph.fit``): non-convergence and possibly infinite coefficients."""
        notes: list[str] = []
        coef = fit.beta * factor
        var = fit.variance * np.outer(factor, factor)
        u = fit.score / factor
        with np.errstate(invalid="ignore", over="ignore"):
            infs = np.abs(u @ var)
            if self.iter_max > 1 and not fit.converged:
                notes.append("Ran out of iterations and did not converge")
                if float(np.max(centred @ coef)) > 500 or not np.isfinite(infs).all():
                    notes.append("one or more coefficients may be infinite")
            elif self.iter_max > 1:
                toler_inf = math.sqrt(self.eps) if self.toler_inf is None else self.toler_inf
                flagged = ~np.isfinite(u) | ((infs > self.eps) & (infs > toler_inf * np.abs(coef)))
                if flagged.any():
                    which = ",".join(str(i + 1) for i in np.flatnonzero(flagged))
                    notes.append(f"Loglik converged before variable {which}; coefficient may be infinite.")
        self.notes_ = tuple(notes)
        for note in notes:
            warnings.warn(note, CoxConvergenceWarning, stacklevel=3)

    @property
    def summary(self) -> pd.DataFrame:
        """Per covariate: coef, exp(coef), se(coef), z, p and the hazard-ratio CI (R ``summary.coxph``)."""
        z = self.params_ / self.standard_errors_
        table = pd.DataFrame({
            "coef": self.params_, "exp(coef)": self.hazard_ratios_, "se(coef)": self.standard_errors_,
            "z": z, "p": 2.0 * ndtr(-np.abs(z.to_numpy())),
        })
        return pd.concat([table, self.confidence_intervals_], axis=1)

    @property
    def tests(self) -> pd.DataFrame:
        """The likelihood-ratio, Wald and score (log-rank) tests: statistic, df, p."""
        rows = {"Likelihood ratio test": self.likelihood_ratio_test_, "Wald test": self.wald_test_,
                "Score (logrank) test": self.score_test_}
        return pd.DataFrame({"statistic": [r.statistic for r in rows.values()],
                             "df": [r.df for r in rows.values()], "p": [r.p_value for r in rows.values()]},
                            index=pd.Index(list(rows), name="test"))

    def _title_and_notes(self) -> tuple[str, list[str]]:
        strata = f", {self.n_strata_} strata" if self.n_strata_ > 1 else ""
        rule = f"R's rule, eps={self.eps:g}" if self.converge == "r" else "full convergence"
        loglik = f"log-likelihood {self.log_likelihood_null_:.4f} at 0, {self.log_likelihood_:.4f} at the fit"
        notes = [f"n = {self.n_}, events = {self.n_events_}{strata}; ties = {self.ties}",
                 f"{loglik}; iterations: {self.iterations_} ({rule})", *self.notes_]
        return "Cox proportional hazards model", notes

    def to_text(self, decimals: int = 4) -> str:
        """Plain-text report: coefficients and hazard ratios, the three tests, then notes."""
        title, notes = self._title_and_notes()
        return render_text(title, [self.summary, self.tests], notes, decimals=decimals)

    def to_html(self, decimals: int = 4) -> str:
        """HTML fragment with the same content as :meth:`to_text`."""
        title, notes = self._title_and_notes()
        return render_html(title, [self.summary, self.tests], notes, decimals=decimals)
