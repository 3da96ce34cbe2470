"""scikit-learn-compatible estimators on shrinkage's solvers (needs scikit-learn)."""

from ._cv import ElasticNetCV, LassoCV
from ._linear import ElasticNet, Lasso
from ._logistic import LogisticRegression
from ._ridge import Ridge, RidgeCV

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "LogisticRegression", "Ridge",
           "RidgeCV"]
