"""Warnings shrinkage emits.

When scikit-learn is installed, ``ConvergenceWarning`` subclasses scikit-learn's, so filters
written for scikit-learn (``warnings.simplefilter("ignore", ConvergenceWarning)``) keep working.
"""

try:
    from sklearn.exceptions import ConvergenceWarning as _Base
except ImportError:  # scikit-learn is optional
    _Base = UserWarning


class ConvergenceWarning(_Base):
    """The solver stopped at ``max_iter`` before the duality gap reached ``tol``."""
