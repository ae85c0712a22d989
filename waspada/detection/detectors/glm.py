"""A small Poisson/quasi-Poisson GLM (log link) fitted by iteratively reweighted least squares.

Enough for the Farrington family: prior weights, dispersion from Pearson's statistic, hat
values, standard errors. Follows R's ``glm.fit`` (deviance convergence, tolerance 1e-8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GlmFit:
    coef: np.ndarray
    mu: np.ndarray
    cov_unscaled: np.ndarray  # (X' W X)^-1
    hat: np.ndarray
    df_residual: int
    dispersion: float  # Pearson statistic / residual degrees of freedom (weighted)
    converged: bool


def fit_poisson(
    y: np.ndarray, x: np.ndarray, weights: np.ndarray | None = None, max_iter: int = 50, tol: float = 1e-8
) -> GlmFit:
    n, p = x.shape
    w_prior = np.ones(n) if weights is None else weights
    mu = y + 0.1
    eta = np.log(mu)
    deviance_old = np.inf
    converged = False
    coef = np.zeros(p)
    xtwx_inv = np.eye(p)
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        w = w_prior * mu
        xw = x * w[:, None]
        xtwx = xw.T @ x
        try:
            xtwx_inv = np.linalg.inv(xtwx)
        except np.linalg.LinAlgError:
            xtwx_inv = np.linalg.pinv(xtwx)
        coef = xtwx_inv @ (xw.T @ z)
        eta = np.clip(x @ coef, -30.0, 30.0)
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(y > 0, y * np.log(y / mu), 0.0)
        deviance = float(2.0 * np.sum(w_prior * (term - (y - mu))))
        if abs(deviance - deviance_old) / (abs(deviance) + 0.1) < tol:
            converged = True
            break
        deviance_old = deviance
    w = w_prior * mu
    xw_half = x * np.sqrt(w)[:, None]
    xtwx_inv = np.linalg.pinv(xw_half.T @ xw_half)
    hat = np.einsum("ij,jk,ik->i", xw_half, xtwx_inv, xw_half)
    df = max(n - p, 1)
    dispersion = float(np.sum(w_prior * (y - mu) ** 2 / mu) / df)
    return GlmFit(coef, mu, xtwx_inv, hat, df, dispersion, converged)
