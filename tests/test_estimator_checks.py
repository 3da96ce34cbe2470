"""Every estimator passes scikit-learn's own estimator checks."""

import pytest

pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import parametrize_with_checks

import shrinkage

ESTIMATORS = [
    shrinkage.Lasso(), shrinkage.ElasticNet(), shrinkage.Ridge(), shrinkage.LassoCV(),
    shrinkage.LassoCV(relax=True),
    shrinkage.ElasticNetCV(l1_ratio=[0.5, 1.0]), shrinkage.RidgeCV(), shrinkage.RidgeCV(cv=3),
    shrinkage.LogisticRegression(), shrinkage.LogisticRegression(l1_ratio=1.0, C=0.5),
]


def expected_failures(estimator):
    """The checks scikit-learn itself expects its corresponding estimators to fail."""
    if isinstance(estimator, shrinkage.Ridge):
        # Direct solver: n_iter_ is None, as for scikit-learn's Ridge with solver="cholesky".
        return {"check_non_transformer_estimators_n_iter": "n_iter_ is None (direct solver)"}
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
