"""Warnings shrinkage emits, and how: at the user's line.

When scikit-learn is installed, ``ConvergenceWarning`` subclasses scikit-learn's, so filters
written for scikit-learn (``warnings.simplefilter("ignore", ConvergenceWarning)``) keep working;
the class is made on first use (``shrinkage.ConvergenceWarning`` or the first warning).
"""

import os
import sys
import warnings

_classes: dict[str, type[Warning]] = {}


def __getattr__(name):
    if name == "ConvergenceWarning":
        return convergence_warning()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def convergence_warning():
    """The ConvergenceWarning class, made on first use so that ``import shrinkage`` does not
    import scikit-learn (most of the import's time)."""
    if "ConvergenceWarning" not in _classes:
        try:
            from sklearn.exceptions import ConvergenceWarning as base
        except ImportError:  # scikit-learn is optional
            base = UserWarning
        _classes["ConvergenceWarning"] = type("ConvergenceWarning", (base,), {
            "__doc__": "The solver stopped at ``max_iter`` before the duality gap reached "
                       "``tol``.",
            "__module__": __name__,
        })
    return _classes["ConvergenceWarning"]


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first caller outside shrinkage (the user's call),
    however deep inside the package it is raised."""
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
