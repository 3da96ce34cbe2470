"""shrinkage: fast, certified Lasso / ElasticNet / Ridge paths.

``lasso_path`` and ``enet_path`` are drop-in replacements for scikit-learn's functions of the
same names: same signature, same results (to the solver tolerance), computed by a C++
covariance-update coordinate descent that stops on a duality-gap certificate.
"""

from . import _blas_bridge, _core
from ._exceptions import ConvergenceWarning
from ._gramstats import GramStats
from ._path import enet_path, lasso_path, multi_target_path
from ._ridge import ridge_path, ridge_regression

_core.install_blas(_blas_bridge.blas_table_capsule())

__version__ = "0.1.0"
__all__ = [
    "ConvergenceWarning", "GramStats", "__version__", "enet_path", "lasso_path", "multi_target_path",
    "ridge_path", "ridge_regression",
]
