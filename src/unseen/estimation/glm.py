"""Poisson log-linear regression by iteratively reweighted least squares.

The iteration follows R's ``glm.fit`` for the Poisson family (start at ``mu = y + 0.1``, stop
when the relative change in deviance is below ``1e-8``, at most 25 iterations by default), so
that fits agree with Rcapture and SparseMSE to many digits, including the answers R gives when
the maximum likelihood estimate does not exist (the existence checks in :mod:`.existence` say
when to distrust them). Aliased columns are dropped in order, as R's pivoting QR does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

__all__ = ["PoissonFit", "fit_poisson", "independent_columns", "poisson_loglik"]

FloatArray = npt.NDArray[np.float64]

EPSILON = 1e-8  # R's glm.control(epsilon)
RANK_TOL = 1e-7  # R's qr tolerance


@dataclass(frozen=True, eq=False)
class PoissonFit:
    """A fitted Poisson GLM. ``coef`` has NaN for aliased columns (as R's ``coef``)."""

    coef: FloatArray
    mu: FloatArray
    deviance: float
    loglik: float
    rank: int
    converged: bool
    iterations: int
    cov: FloatArray  # unscaled covariance of the kept coefficients (rank x rank)
    kept: npt.NDArray[np.intp]

    @property
    def aic(self) -> float:
        return -2.0 * self.loglik + 2.0 * self.rank

    def bic(self, n: float) -> float:
        return -2.0 * self.loglik + float(np.log(n)) * self.rank

    @property
    def intercept_var(self) -> float:
        """Variance of the first coefficient (the intercept when column 0 is ones)."""
        return float(self.cov[0, 0]) if self.kept.size and self.kept[0] == 0 else float("nan")


def poisson_loglik(y: FloatArray, mu: FloatArray) -> float:
    """Poisson log-likelihood, R's ``sum(dpois(y, mu, log=TRUE))`` for real ``y``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(mu), 0.0)
    return float(np.sum(term - mu - gammaln(y + 1.0)))


def _deviance(y: FloatArray, mu: FloatArray) -> float:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
        dev = float(2.0 * np.sum(term - (y - mu)))
    return dev if np.isfinite(dev) else float("inf")


def independent_columns(x: FloatArray, tol: float = RANK_TOL) -> npt.NDArray[np.intp]:
    """Indices of the columns kept when later columns that depend on earlier ones are dropped."""
    if x.shape[1] == 0:
        return np.zeros(0, dtype=np.intp)
    q, r = np.linalg.qr(x)
    d = np.abs(np.diag(r))
    scale = np.linalg.norm(x, axis=0)
    if np.all(d > tol * np.maximum(scale, 1e-300)):
        return np.arange(x.shape[1], dtype=np.intp)
    kept: list[int] = []
    basis = np.zeros((x.shape[0], 0))
    for j in range(x.shape[1]):
        col = x[:, j]
        norm = np.linalg.norm(col)
        if norm == 0:
            continue
        resid = col - basis @ (basis.T @ col)
        rn = np.linalg.norm(resid)
        if rn > tol * norm:
            kept.append(j)
            basis = np.column_stack([basis, resid / rn])
    return np.asarray(kept, dtype=np.intp)


def fit_poisson(
    x: FloatArray,
    y: FloatArray,
    *,
    start: FloatArray | None = None,
    kept: npt.NDArray[np.intp] | None = None,
    maxit: int = 25,
    epsilon: float = EPSILON,
) -> PoissonFit:
    """Fit ``log E[y] = x @ coef``. ``start`` is a starting coefficient vector over ``kept``
    columns (warm start); without it the iteration starts from ``mu = y + 0.1`` as R does."""
    y = np.asarray(y, dtype=np.float64)
    keep = independent_columns(x) if kept is None else kept
    xk = x[:, keep]
    if start is not None:
        eta = xk @ start
        with np.errstate(over="ignore"):
            mu = np.exp(eta)
    else:
        mu = y + 0.1
        eta = np.log(mu)
    dev_old = _deviance(y, mu)
    beta: FloatArray = np.zeros(len(keep)) if start is None else np.array(start, dtype=np.float64)
    converged = False
    it = 0
    xtwx = np.eye(len(keep))
    for it in range(1, maxit + 1):  # noqa: B007 - the count is reported
        mu = np.maximum(mu, 1e-300)  # a cell driven to zero (no MLE) must not divide by 0
        z = eta + (y - mu) / mu
        xw = xk * mu[:, None]
        xtwx = xk.T @ xw
        rhs = xw.T @ z
        try:
            beta_new = np.linalg.solve(xtwx, rhs)
        except np.linalg.LinAlgError:
            beta_new = np.linalg.lstsq(xtwx, rhs, rcond=None)[0]
        if not np.all(np.isfinite(beta_new)):
            break
        eta_new = xk @ beta_new
        with np.errstate(over="ignore"):
            mu_new = np.exp(eta_new)
        dev = _deviance(y, mu_new)
        # Step halving when the deviance is not finite, as glm.fit does, and, from a warm
        # start (which R never uses), also when it goes up: Newton can overshoot from there.
        halvings = 0
        while halvings < 30 and (
            not np.isfinite(dev) or (start is not None and dev > dev_old + 1e-9 * abs(dev_old))
        ):
            beta_new = (beta_new + beta) / 2.0
            eta_new = xk @ beta_new
            with np.errstate(over="ignore"):
                mu_new = np.exp(eta_new)
            dev = _deviance(y, mu_new)
            halvings += 1
        beta = np.asarray(beta_new, dtype=np.float64)
        eta = np.asarray(eta_new, dtype=np.float64)
        mu = np.asarray(mu_new, dtype=np.float64)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev
    xw = xk * mu[:, None]
    xtwx = xk.T @ xw
    cov: FloatArray
    try:
        with np.errstate(all="ignore"):
            cov = np.asarray(np.linalg.inv(xtwx), dtype=np.float64)
    except np.linalg.LinAlgError:
        cov = np.full(xtwx.shape, np.nan)
    coef = np.full(x.shape[1], np.nan)
    coef[keep] = beta
    return PoissonFit(
        coef=coef,
        mu=mu,
        deviance=_deviance(y, mu),
        loglik=poisson_loglik(y, mu),
        rank=len(keep),
        converged=converged,
        iterations=it,
        cov=cov,
        kept=keep,
    )
