"""Independent references for the tests: the duality gap and optimality conditions recomputed
from X and y with numpy alone (scikit-learn's formulas, in its units: gap / n_samples)."""

import numpy as np


def enet_objective(X, y, w, alpha, l1_ratio):
    """P(w) = 1/(2n) ||y - Xw||^2 + alpha rho ||w||_{1 (2,1)} + alpha (1 - rho)/2 ||w||^2."""
    n = X.shape[0]
    W = np.asarray(w, dtype=np.float64).reshape(-1, X.shape[1]).T  # p x n_tasks
    R = np.asarray(y, np.float64).reshape(n, -1) - X @ W
    l1 = np.sqrt((W**2).sum(axis=1)).sum()
    return 0.5 * (R**2).sum() / n + alpha * l1_ratio * l1 + 0.5 * alpha * (1 - l1_ratio) * (W**2).sum()


def enet_gap(X, y, w, alpha, l1_ratio, positive=False):
    """Duality gap of the point w (rescaled-residual dual point), divided by n."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    Y = np.asarray(y, np.float64).reshape(n, -1)
    W = np.asarray(w, dtype=np.float64).reshape(-1, X.shape[1]).T
    R = Y - X @ W
    l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
    G = X.T @ R / n - l2 * W  # rows: features
    if positive:
        dual_norm = max(G.max(), 0.0)
    else:
        dual_norm = np.sqrt((G**2).sum(axis=1)).max()
    r2, w2 = (R**2).sum() / n, (W**2).sum()
    primal = 0.5 * r2 + l1 * np.sqrt((W**2).sum(axis=1)).sum() + 0.5 * l2 * w2
    if l1 > 0:
        s = l1 / dual_norm if dual_norm > l1 else 1.0
        dual = -0.5 * s * s * (r2 + l2 * w2) + s * (R * Y).sum() / n
    else:
        XtR = X.T @ R / n  # the conjugate of l2/2 ||w||^2 (+ w >= 0) sees max(XtR, 0) only
        XtR = np.maximum(XtR, 0) if positive else XtR
        dual = -0.5 * r2 + (R * Y).sum() / n - (XtR**2).sum() / (2 * l2)
    return primal - dual


def assert_certified(X, y, alphas, coefs, l1_ratio, tol, positive=False):
    """Every point of a path meets tol and the optimality conditions its gap implies.

    From strong convexity of the smooth part, 1/(2n)||X(w - w*)||^2 + l2/2 ||w - w*||^2 <= gap,
    so |x_j^T r / n - l2 w_j| <= l1 + sqrt(2 gap) (||x_j|| / sqrt(n) + sqrt(l2)) for every j.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    Y = np.asarray(y, np.float64).reshape(n, -1)
    col = np.sqrt((X**2).sum(axis=0) / n)
    c = (Y**2).sum() / n
    for k, alpha in enumerate(alphas):
        w = coefs[..., k]
        gap = enet_gap(X, Y, w, alpha, l1_ratio, positive)
        assert gap <= tol * c + 1e-13 * c, (k, gap, tol * c)
        W = np.asarray(w, np.float64).reshape(-1, X.shape[1]).T
        l1, l2 = alpha * l1_ratio, alpha * (1 - l1_ratio)
        grad = X.T @ (Y - X @ W) / n - l2 * W
        norm = grad[:, 0] if positive else np.sqrt((grad**2).sum(axis=1))
        bound = l1 + np.sqrt(2 * max(gap, 0.0)) * (col + np.sqrt(l2))
        if l1 > 0:
            assert (norm <= bound * (1 + 1e-9) + 1e-12 * np.sqrt(c)).all(), k
        if positive:
            assert (W >= 0).all()
