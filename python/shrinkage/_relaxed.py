"""The relaxed lasso's refits (glmnet's ``relax=TRUE``): on each alpha's support, the
unpenalised weighted least-squares fit of the same problem (its weights, centring and bounds).

Penalty factors and standardisation do not enter an unpenalised fit; bounds do, as in glmnet's
refit at lambda 0 with its limits. Every support's Gram is a block of one Gram of the union of
the supports, taken from the problem's source (a full Gram, or the columns of X computed once),
so the refits never touch X again.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import lsq_linear

from ._ridge import minimum_norm_solve

# The box fit stops when its KKT conditions hold to this (relative to the problem's scale).
_BOX_TOL = 1e-13


def relaxed_fits(problem, coefs, options):
    """(relaxed coefficients (p, k), intercepts (k,)) for the columns of ``coefs`` (p, k) on
    ``problem``'s first target. Without bounds each fit is the minimum-norm least-squares one
    where the support's Gram is singular; with bounds (``options``' lower/upper, or positive),
    the least-squares fit within them."""
    lower, upper = _bounds(options, problem.n_features)
    union = np.flatnonzero(np.any(coefs != 0, axis=1))
    gram = problem.source.block(union.tolist())
    rhs = problem.xy[union, 0] * problem.source.scale
    position = np.full(problem.n_features, -1)
    position[union] = np.arange(union.size)
    relaxed = np.zeros(coefs.shape)
    previous = None
    for k in range(coefs.shape[1]):
        support = np.flatnonzero(coefs[:, k])
        if previous is not None and np.array_equal(support, previous):
            relaxed[:, k] = relaxed[:, k - 1]
            continue
        previous = support
        if support.size:
            at = position[support]
            relaxed[support, k] = _least_squares(gram[np.ix_(at, at)], rhs[at],
                                                 lower[support], upper[support])
    return relaxed, problem.intercepts(relaxed.T)


def _bounds(options, p):
    if options.features is not None:
        lower, upper = options.features.lower, options.features.upper
    else:
        lower, upper = np.full(p, -np.inf), np.full(p, np.inf)
    return (np.maximum(lower, 0.0) if options.positive else lower), upper


def _least_squares(gram, rhs, lower, upper):
    """argmin 1/2 w^T G w - rhs^T w over lower <= w <= upper (G = Z^T Z scaled, rhs = Z^T y)."""
    w = minimum_norm_solve(gram, 0.0, rhs[:, None])[:, 0]
    if ((w >= lower) & (w <= upper)).all():
        return w
    # The same objective as a least-squares problem on G's square root (rhs lies in G's range).
    lam, V = np.linalg.eigh(gram)
    kept = lam > lam.max(initial=0.0) * gram.shape[0] * np.finfo(float).eps
    root = np.sqrt(lam[kept])
    A = root[:, None] * V[:, kept].T
    target = (V[:, kept].T @ rhs) / root
    return lsq_linear(A, target, bounds=(lower, upper), method="bvls", tol=_BOX_TOL).x
