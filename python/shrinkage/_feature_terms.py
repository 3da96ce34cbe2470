"""glmnet's per-feature controls as the solver's per-feature terms: penalty factors (with
exclusion), box constraints and standardisation.

Feature j's penalty is ``alpha * v_j * (l1_ratio |w_j| + (1 - l1_ratio) / 2 w_j^2)`` with
``lower_j <= w_j <= upper_j``. Standardising (glmnet's ``standardize=TRUE``) penalises the
coefficients of the columns scaled to unit (weighted) variance, u_j = s_j w_j, which is the
same penalty on w with the weights v_j s_j (l1) and v_j s_j^2 (l2): nothing is rescaled in
memory and the coefficients come back on the original scale. An excluded feature (``exclude``
or an infinite factor), and a constant column when standardising, is held at zero by the box
[0, 0]. A factor of 0 leaves a feature unpenalised: it is in the model from alpha_max on.
"""

from __future__ import annotations

import numpy as np

from . import _core
from ._threads import run_path
from ._validation import InvalidParameterError

# The keyword arguments of the path functions and estimators that this module reads.
KEYWORDS = ("penalty_factor", "exclude", "lower_bounds", "upper_bounds", "standardize",
            "rescale_penalty_factor")

# The solve that fits the unpenalised features alone: every penalised feature stays at zero.
_NULL_ALPHA = 1e300


def feature_terms(problem, *, penalty_factor=None, exclude=None, lower_bounds=None,
                  upper_bounds=None, standardize=False, positive=False,
                  rescale_penalty_factor=False):
    """The C++ path's per-feature terms (``_core.FeatureTerms``: ``l1_weight``, ``l2_weight``,
    ``lower``, ``upper``), or None for the plain problem."""
    p = problem.n_features
    if (penalty_factor is None and exclude is None and lower_bounds is None
            and upper_bounds is None and not standardize):
        return None
    factor = _penalty_factor(penalty_factor, p)
    excluded = ~np.isfinite(factor)
    if exclude is not None:
        excluded[_feature_indices(exclude, p)] = True
    factor = np.where(excluded, 1.0, factor)  # an excluded feature counts 1, as in glmnet
    if rescale_penalty_factor:
        factor = factor * (p / factor.sum())
    if not (factor[~excluded] > 0).any() and problem.n_features > 0:
        raise ValueError("All penalty factors are 0 (or the features excluded): there is "
                         "nothing to penalise; use least squares.")
    lower = _bound(lower_bounds, p, "lower_bounds", upper=False)
    upper = _bound(upper_bounds, p, "upper_bounds", upper=True)
    if positive:
        lower = np.zeros(p)
    l1_weight, l2_weight = factor, factor.copy()
    if standardize:
        scale = np.sqrt(np.maximum(problem.source.diagonal, 0.0))
        excluded |= scale == 0  # a constant column stays at zero, as in glmnet
        l1_weight, l2_weight = factor * scale, factor * scale**2
    lower, upper = np.where(excluded, 0.0, lower), np.where(excluded, 0.0, upper)
    return _core.FeatureTerms(*(np.ascontiguousarray(v, dtype=np.float64)
                                for v in (l1_weight, l2_weight, lower, upper)))


def alpha_max(problem, l1_ratio, options):
    """The smallest alpha at which every penalised feature is zero, over the problem's targets:
    the largest push of the gradient toward a side a feature may move to, per unit of its l1
    weight, at the fit of the unpenalised features alone (glmnet's lambda_max). options: the
    solver's, with its feature terms."""
    with np.errstate(over="ignore"):
        top = max(_target_alpha_max(problem, t, l1_ratio, options)
                  for t in range(problem.n_targets))
    if not np.isfinite(top):
        weights = options.features.l1_weight
        raise ValueError(f"alpha_max overflows: a penalty factor (or standardised weight) of "
                         f"{weights[weights > 0].min():.3g} divides the gradient beyond float64's "
                         "range; use 0 to leave a feature unpenalised.")
    return top


def _target_alpha_max(problem, t, l1_ratio, options):
    b = np.asfortranarray(problem.xy[:, [t]] / problem.weight_sum)
    q = b[:, 0]
    terms = options.features
    l1_weight, lower, upper = terms.l1_weight, terms.lower, terms.upper
    unpenalised = (l1_weight == 0) & (upper - lower > 0)
    if unpenalised.any():
        solver = options.replace(l1_ratio=1.0, dfmax=-1, pmax=-1, tol=1e-12)
        coefs, _, _, _ = run_path(problem.source, b, problem.yy[t] / problem.weight_sum,
                                  np.array([_NULL_ALPHA]), None, solver)
        q, _ = problem.source.gradient(q.copy(), coefs[0, :, 0].astype(np.float64))
    push = np.maximum(np.where(upper > 0, q, 0.0), np.where(lower < 0, -q, 0.0))
    penalised = l1_weight > 0
    if not penalised.any():
        return 0.0
    return float(np.max(push[penalised] / l1_weight[penalised])) / l1_ratio


def _penalty_factor(penalty_factor, p):
    if penalty_factor is None:
        return np.ones(p)
    factor = np.asarray(penalty_factor, dtype=np.float64)
    if factor.shape != (p,):
        raise ValueError(f"penalty_factor has shape {factor.shape}, expected ({p},): one "
                         "factor per feature.")
    if np.isnan(factor).any() or (factor < 0).any():
        raise ValueError("penalty_factor must be >= 0 (inf excludes a feature), without NaN.")
    return factor


def _feature_indices(exclude, p):
    index = np.asarray(exclude)
    if index.dtype == bool:
        if index.shape != (p,):
            raise ValueError(f"A boolean exclude mask must have shape ({p},), got "
                             f"{index.shape}.")
        return np.flatnonzero(index)
    if index.size and not np.issubdtype(index.dtype, np.integer):
        raise InvalidParameterError("exclude must hold feature indices (integers) or be a "
                                    "boolean mask.")
    index = index.astype(np.intp).ravel()
    if index.size and (index.min() < -p or index.max() >= p):
        raise ValueError(f"exclude holds an index outside [0, {p}).")
    return index


def _bound(value, p, name, upper):
    if value is None:
        return np.full(p, np.inf if upper else -np.inf)
    bound = np.asarray(value, dtype=np.float64)
    if bound.ndim == 0:
        bound = np.full(p, float(bound))
    if bound.shape != (p,):
        raise ValueError(f"{name} has shape {bound.shape}, expected a scalar or ({p},).")
    if np.isnan(bound).any():
        raise ValueError(f"{name} contains NaN.")
    if (bound < 0).any() if upper else (bound > 0).any():
        raise ValueError(f"Each interval [lower_bounds, upper_bounds] must contain 0 (as in "
                         f"glmnet): {name} must be {'>= 0' if upper else '<= 0'}.")
    return bound
