"""Metadata routing of the cross-validating estimators, as scikit-learn's: extra ``fit``
parameters (``groups``, ...) go to the cv splitter's ``split`` when
``sklearn.set_config(enable_metadata_routing=True)``, and are refused otherwise."""

from sklearn import get_config
from sklearn.model_selection import check_cv
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing


def split_params(estimator, sample_weight, params):
    """The keyword arguments of the splitter's ``split`` for ``estimator.fit(..., **params)``."""
    if not get_config()["enable_metadata_routing"]:
        if params:
            raise ValueError(
                f"Passing extra keyword arguments to {type(estimator).__name__}.fit is only "
                "supported if enable_metadata_routing=True, which you can set using "
                f"`sklearn.set_config`. Got {sorted(params)}.")
        return {}
    routed = process_routing(estimator, "fit", sample_weight=sample_weight, **params)
    return routed.splitter.split


def cv_router(estimator):
    """The estimator's own requests, and the splitter's split under its fit."""
    return (MetadataRouter(owner=estimator)
            .add_self_request(estimator)
            .add(splitter=check_cv(estimator.cv),
                 method_mapping=MethodMapping().add(caller="fit", callee="split")))
