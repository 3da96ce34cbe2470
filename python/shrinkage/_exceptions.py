"""Warnings shrinkage emits, and how: at the user's line.

When scikit-learn is installed, ``ConvergenceWarning`` subclasses scikit-learn's, so filters
written for scikit-learn (``warnings.simplefilter("ignore", ConvergenceWarning)``) keep working.
"""

import os
import sys
import warnings

try:
    from sklearn.exceptions import ConvergenceWarning as _Base
except ImportError:  # scikit-learn is optional
    _Base = UserWarning


class ConvergenceWarning(_Base):
    """The solver stopped at ``max_iter`` before the duality gap reached ``tol``."""


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first caller outside shrinkage (the user's call),
    however deep inside the package it is raised."""
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
