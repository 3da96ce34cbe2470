"""A pytest plugin that runs scikit-learn's own linear_model test modules on shrinkage: the
names a user would take from shrinkage (lasso_path, enet_path, Lasso, ElasticNet, LassoCV,
ElasticNetCV, Ridge, RidgeCV, ridge_regression) are replaced in ``sklearn.linear_model`` before
the test modules import them; everything else stays scikit-learn's. The test files are read
from the installed scikit-learn, never copied. Run by ``run.py``."""

import sklearn.linear_model

import shrinkage

SWAPPED = ("lasso_path", "enet_path", "Lasso", "ElasticNet", "LassoCV", "ElasticNetCV", "Ridge",
           "RidgeCV", "ridge_regression")


def pytest_configure(config):
    for name in SWAPPED:
        setattr(sklearn.linear_model, name, getattr(shrinkage, name))
