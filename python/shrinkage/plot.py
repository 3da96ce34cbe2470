"""Figures of regularization paths and cross-validation curves (matplotlib, optional).

Both functions draw on a given Axes (or the current one) and return it, so they compose with
the rest of a user's figure. alpha is on a log scale and decreases from left to right, the
direction in which a path is computed and in which models grow.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, shrinkage, shrinkage.plot
    >>> from shrinkage.datasets import make_correlated_regression
    >>> X, y = make_correlated_regression(200, 8, random_state=0)
    >>> alphas, coefs, _ = shrinkage.lasso_path(X, y, alphas=30)
    >>> ax = shrinkage.plot.plot_path(alphas, coefs, alpha=alphas[10])
    >>> len(ax.get_lines())  # 8 coefficients, the zero line and the selected alpha
    10
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

try:
    import matplotlib.pyplot as plt
except ImportError as error:  # pragma: no cover - exercised only without matplotlib
    raise ImportError("shrinkage.plot needs matplotlib: pip install 'shrinkage[plot]'") from error

__all__ = ["plot_cv", "plot_path"]


def plot_path(alphas: ArrayLike, coefs: ArrayLike, *, alpha: float | None = None,
              feature_names: Sequence[str] | None = None, ax: Any = None, n_ticks: int = 6
              ) -> Any:
    """Coefficient paths against alpha, with the model size along the top.

    Parameters
    ----------
    alphas : array of shape (n_alphas,)
        The path's alphas, as returned by ``lasso_path`` / ``enet_path`` (any order).
    coefs : array of shape (n_features, n_alphas)
        The path's coefficients (one target: pass ``coefs[t]`` for a multi-target path).
    alpha : float, optional
        A selected alpha (e.g. a CV estimator's ``alpha_``), marked by a vertical line.
    feature_names : sequence of str, optional
        Names for the legend (at most 10 features are labelled: those entering first).
    ax : matplotlib Axes, optional
        Where to draw; the current Axes by default.
    n_ticks : int
        How many alphas on the top axis carry their number of non-zero coefficients.

    Returns
    -------
    ax : matplotlib Axes
        The top axis (the model size) is ``ax.secondary_x``.
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    coefs = np.asarray(coefs)
    if alphas.ndim != 1 or alphas.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-D array, got shape {alphas.shape}")
    if coefs.ndim != 2 or coefs.shape[1] != alphas.size:
        raise ValueError(f"coefs must have shape (n_features, {alphas.size}) to match alphas, got "
                         f"{coefs.shape} (for a multi-target path pass coefs[target])")
    if not np.all(alphas > 0):
        raise ValueError("alphas must be positive to be drawn on a log scale")
    if feature_names is not None and len(feature_names) != coefs.shape[0]:
        raise ValueError(f"{len(feature_names)} feature_names for {coefs.shape[0]} features")
    order = np.argsort(alphas)[::-1]
    alphas, coefs = alphas[order], coefs[:, order]
    ax = plt.gca() if ax is None else ax

    lines = ax.plot(alphas, coefs.T, linewidth=1)
    for line, color in zip(lines, _distinct_colors(len(lines)), strict=True):
        line.set_color(color)
    if feature_names is not None:
        entry = np.argmax(coefs != 0, axis=1) + np.where(np.any(coefs != 0, axis=1), 0, alphas.size)
        for j in np.argsort(entry, kind="stable")[:10]:
            lines[j].set_label(str(feature_names[j]))
    ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
    if alpha is not None:
        ax.axvline(alpha, color="k", linestyle="--", linewidth=1, label=f"alpha = {alpha:.3g}")
    if feature_names is not None or alpha is not None:
        _legend_beside(ax)
    _log_alpha_axis(ax, alphas)
    ax.set_ylabel("coefficient")

    _model_size_axis(ax, alphas, np.count_nonzero(coefs, axis=0), "non-zero coefficients",
                     n_ticks)
    return ax


def plot_cv(model: Any, *, l1_ratio: float | None = None, ax: Any = None) -> Any:
    """Validation and training error against alpha for a fitted ``LassoCV`` / ``ElasticNetCV``.

    Draws the mean over folds of the validation MSE (``mse_path_``) and of the training MSE
    (``train_mse_path_``), each with a band of one standard deviation over the folds, and marks
    the chosen ``alpha_`` and the largest alpha whose mean validation error is within one
    standard error of the minimum (glmnet's ``lambda.1se``, a sparser model that is as good as
    the data can tell: the model's own ``alpha_1se_``). A relaxed model (``relax=True``) also
    shows the validation error of its chosen ``gamma_``, on which its alphas were chosen.
    scikit-learn's ``LassoCV`` / ``ElasticNetCV`` and a ``Pipeline`` ending in one are drawn
    too (without the training error and model size scikit-learn does not keep).

    Parameters
    ----------
    model : fitted LassoCV or ElasticNetCV (shrinkage's or scikit-learn's), or a Pipeline
        ending in one
    l1_ratio : float, optional
        For an ``ElasticNetCV`` fitted on several l1_ratios: whose curve to draw (by default the
        chosen ``l1_ratio_``).
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    model = _cv_estimator(model)
    alphas, mse = np.asarray(model.alphas_), np.asarray(model.mse_path_)
    train = getattr(model, "train_mse_path_", None)
    sizes = getattr(model, "n_nonzero_path_", None)
    relaxed = getattr(model, "relaxed_mse_path_", None)
    ratios = np.atleast_1d(getattr(model, "l1_ratio", 1.0))
    chosen_ratio = getattr(model, "l1_ratio_", float(ratios[0]))
    shown_ratio = chosen_ratio if l1_ratio is None else l1_ratio
    if mse.ndim == 3:  # several l1_ratios: pick one
        index = np.flatnonzero(np.isclose(ratios, shown_ratio))
        if index.size == 0:
            raise ValueError(f"l1_ratio={shown_ratio} is not one of the fitted {list(ratios)}")
        pick = index[0]
        mse = mse[pick]
        alphas = alphas[pick] if alphas.ndim == 2 else alphas
        train = None if train is None else np.asarray(train)[pick]
        sizes = None if sizes is None else np.asarray(sizes)[pick]
        relaxed = None if relaxed is None else np.asarray(relaxed)[pick]
    elif mse.ndim == 1:  # a single fold squeezed away
        mse = mse[:, None]
        train = None if train is None else np.asarray(train)[:, None]
    is_chosen = bool(np.isclose(shown_ratio, chosen_ratio))
    ax = plt.gca() if ax is None else ax

    n_folds = int(np.isfinite(mse[0]).sum())  # folds with an error (not all zero weight)
    curves = [(mse, "validation", "C0")]
    if train is not None:
        curves.append((np.asarray(train), "training", "C1"))
    for errors, name, color in curves:
        mean, spread = np.nanmean(errors, axis=1), np.nanstd(errors, axis=1)
        ax.plot(alphas, mean, color=color, label=f"{name} (mean of {n_folds} folds)")
        ax.fill_between(alphas, mean - spread, mean + spread, color=color, alpha=0.2,
                        linewidth=0, label=f"{name} ± 1 sd over folds")
    gamma = getattr(model, "gamma_", 1.0)
    if relaxed is not None and is_chosen and gamma < 1.0:
        at = int(np.flatnonzero(np.isclose(model.gammas_, gamma))[0])
        ax.plot(alphas, np.nanmean(np.asarray(relaxed)[at], axis=1), color="C2",
                label=f"validation, relaxed (gamma = {gamma:g})")
    mean = np.nanmean(mse, axis=1)
    best = int(np.argmin(mean))
    if is_chosen:
        alpha_chosen = float(model.alpha_)
        alpha_1se = float(getattr(model, "alpha_1se_", _one_standard_error(alphas, mse)))
    else:
        alpha_chosen, alpha_1se = float(alphas[best]), _one_standard_error(alphas, mse)
    ax.axvline(alpha_chosen, color="k", linestyle="--", linewidth=1,
               label=f"chosen alpha = {alpha_chosen:.3g}")
    ax.axvline(alpha_1se, color="k", linestyle=":", linewidth=1,
               label=f"1-SE alpha = {alpha_1se:.3g}")
    _log_alpha_axis(ax, alphas)
    ax.set_ylabel("mean squared error")
    ax.set_title(f"{type(model).__name__}, l1_ratio = {float(shown_ratio):g}", fontsize="medium")
    if best == int(np.argmin(alphas)):  # the smallest alpha: the error may still be falling
        ax.annotate("minimum at the grid's edge:\nextend it (smaller eps)",
                    xy=(alphas[best], mean[best]), xytext=(0.5, 0.9),
                    textcoords="axes fraction", fontsize="small", ha="center",
                    arrowprops={"arrowstyle": "->", "color": "0.3"})
    if sizes is not None:
        _model_size_axis(ax, alphas, sizes, "non-zero coefficients (mean over folds)")
    _legend_beside(ax)
    return ax


def _cv_estimator(model):
    """The fitted CV estimator plot_cv draws: the model itself or a Pipeline's last step."""
    steps = getattr(model, "steps", None)
    if steps:
        model = steps[-1][1]
    if hasattr(model, "mse_path_") and hasattr(model, "alphas_"):
        return model
    name = type(model).__name__
    if name.startswith("Ridge"):
        raise ValueError(f"plot_cv draws the per-fold error paths of LassoCV / ElasticNetCV; "
                         f"{name} keeps no such path (see its best_score_ and, with "
                         "store_cv_results=True, cv_results_)")
    raise ValueError("plot_cv needs a fitted LassoCV or ElasticNetCV, got "
                     f"{name} without mse_path_ (call fit first)")


def _one_standard_error(alphas, mse):
    """glmnet's lambda.1se: the largest alpha whose mean error over folds is within one
    standard error (sd with ddof 1 over sqrt(folds)) of the smallest mean; folds without an
    error (NaN: test rows of zero weight) are left out."""
    mean = np.nanmean(mse, axis=1)
    best = int(np.argmin(mean))
    n_folds = int(np.isfinite(mse[best]).sum())
    error = np.nanstd(mse[best], ddof=1) / np.sqrt(n_folds) if n_folds > 1 else 0.0
    return float(alphas[mean <= mean[best] + error].max())


def _model_size_axis(ax, alphas, sizes, label, n_ticks=6):
    """The model size at a few alphas, on a top axis (``ax.secondary_x``)."""
    ticks = np.unique(np.linspace(0, alphas.size - 1, min(n_ticks, alphas.size)).round()
                      .astype(int))
    top = ax.secondary_xaxis("top")
    top.set_xscale("log")
    top.set_xticks(alphas[ticks], [str(round(k)) for k in np.asarray(sizes, dtype=float)[ticks]])
    top.set_xticks([], minor=True)
    top.set_xlabel(label)
    ax.secondary_x = top


def _distinct_colors(n):
    """n colours that do not repeat: tab10/tab20 while they last, then an even sampling of a
    perceptually uniform map."""
    if n <= 10:
        return [plt.cm.tab10(i) for i in range(n)]
    if n <= 20:
        return [plt.cm.tab20(i) for i in range(n)]
    return [plt.cm.turbo(v) for v in np.linspace(0.05, 0.95, n)]


def _legend_beside(ax):
    """The legend to the right of the plot, where it hides no curve. A figure without a layout
    engine gets matplotlib's constrained layout, so that a plain savefig keeps the legend and
    the title inside the image."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0.0)
    figure = ax.get_figure()
    if figure is not None and figure.get_layout_engine() is None:
        figure.set_layout_engine("constrained")


def _log_alpha_axis(ax, alphas):
    ax.set_xscale("log")
    ax.set_xlim(alphas.max(), alphas.min())  # decreasing: the direction of the path
    ax.set_xlabel("alpha")
