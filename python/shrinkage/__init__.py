"""shrinkage: fast, certified Lasso / ElasticNet / Ridge paths.

``lasso_path`` and ``enet_path`` are drop-in replacements for scikit-learn's functions of the
same names: same signature, same results (to the solver tolerance), computed by a C++
covariance-update coordinate descent that stops on a duality-gap certificate.
"""

import importlib

from . import _blas_bridge, _core, streams
from ._exceptions import ConvergenceWarning
from ._gramstats import GramStats
from ._path import enet_path, lasso_path, multi_target_path
from ._ridge import ridge_path, ridge_regression

_core.install_blas(_blas_bridge.blas_table_capsule())

# The estimators need scikit-learn (an optional dependency): imported on first use.
_ESTIMATOR_MODULES = {
    "ElasticNet": "_estimators", "Lasso": "_estimators",
    "ElasticNetCV": "_cv", "LassoCV": "_cv",
    "Ridge": "_ridge_estimators", "RidgeCV": "_ridge_estimators",
}


def __getattr__(name):
    module = _ESTIMATOR_MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'shrinkage' has no attribute {name!r}")
    try:
        return getattr(importlib.import_module(f".{module}", __name__), name)
    except ImportError as error:
        raise ImportError(f"shrinkage.{name} needs scikit-learn: pip install "
                          f"'shrinkage[sklearn]' ({error})") from error


def __dir__():
    return sorted(set(globals()) | set(_ESTIMATOR_MODULES))

__version__ = "0.1.0"
__all__ = [
    "ConvergenceWarning", "ElasticNet", "ElasticNetCV", "GramStats", "Lasso", "LassoCV", "Ridge",
    "RidgeCV", "__version__", "enet_path", "lasso_path", "multi_target_path",
    "ridge_path", "ridge_regression", "streams",
]
