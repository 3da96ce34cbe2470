"""shrinkage: fast, certified Lasso / ElasticNet / Ridge paths.

``lasso_path`` and ``enet_path`` are drop-in replacements for scikit-learn's functions of the
same names: same signature, same results (to the solver tolerance), computed by a C++
covariance-update coordinate descent that stops on a duality-gap certificate.
"""

import importlib

from . import _blas_bridge, _core, _exceptions, streams
from ._binomial import logistic_path
from ._config import show_config
from ._fitted_path import BinomialPath, Path, path
from ._path import enet_path, lasso_path, multi_target_path
from ._ridge import ridge_path, ridge_regression
from .statistics import GramStats

_core.install_blas(_blas_bridge.blas_table_capsule())

# Imported on first use, so that `import shrinkage` stays fast: the estimators (they need
# scikit-learn, an optional dependency) and the submodules (plot needs matplotlib, dask dask).
_ESTIMATORS = ("ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "LogisticRegression", "Ridge",
               "RidgeCV")
_SUBMODULES = ("dask", "datasets", "estimators", "linalg", "plot", "statistics")


def __getattr__(name):
    if name == "ConvergenceWarning":
        return _exceptions.convergence_warning()
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name not in _ESTIMATORS:
        raise AttributeError(f"module 'shrinkage' has no attribute {name!r}")
    try:
        from . import estimators
    except ImportError as error:
        raise ImportError(f"shrinkage.{name} needs scikit-learn: pip install "
                          f"'shrinkage[sklearn]' ({error})") from error
    return getattr(estimators, name)


def __dir__():
    return sorted(set(globals()) | set(_ESTIMATORS) | set(_SUBMODULES) | {"ConvergenceWarning"})


__version__ = "0.1.0"
__all__ = [
    "BinomialPath", "ConvergenceWarning", "ElasticNet", "ElasticNetCV", "GramStats", "Lasso", "LassoCV", "Path",
    "LogisticRegression", "Ridge", "RidgeCV", "__version__", "enet_path", "lasso_path",
    "logistic_path",
    "multi_target_path", "path",
    "ridge_path", "ridge_regression", "show_config", "streams",
]
