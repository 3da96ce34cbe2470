"""shrinkage.plot: rendered with Agg, checked by what is drawn (lines, bands, markers, ticks)."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt

import shrinkage
from shrinkage import plot
from shrinkage.datasets import make_correlated_regression

pytest.importorskip("sklearn")


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


@pytest.fixture(scope="module")
def problem():
    return make_correlated_regression(120, 7, rho=0.4, random_state=3)


def test_path_draws_one_line_per_feature_on_a_decreasing_log_axis(ax, problem):
    alphas, coefs, _ = shrinkage.lasso_path(*problem, alphas=25)
    returned = plot.plot_path(alphas, coefs, alpha=alphas[12], ax=ax)
    assert returned is ax
    lines = ax.get_lines()
    coefficient_lines = [line for line in lines if len(line.get_xdata()) == alphas.size]
    assert len(coefficient_lines) == coefs.shape[0]
    for line, path in zip(coefficient_lines, coefs, strict=True):
        np.testing.assert_array_equal(line.get_xdata(), alphas)
        np.testing.assert_array_equal(line.get_ydata(), path)
    assert ax.get_xscale() == "log"
    left, right = ax.get_xlim()
    assert left == alphas.max()
    assert right == alphas.min()
    marker = [line for line in lines if list(line.get_xdata()) == [alphas[12]] * 2]
    assert len(marker) == 1
    assert marker[0].get_linestyle() == "--"


def test_path_top_axis_counts_the_non_zeros(ax, problem):
    alphas, coefs, _ = shrinkage.lasso_path(*problem, alphas=25)
    plot.plot_path(alphas, coefs, ax=ax, n_ticks=5)
    top = ax.secondary_x
    ticks = top.get_xticks()
    labels = [label.get_text() for label in top.get_xticklabels()]
    assert len(ticks) == len(labels) == 5
    for tick, label in zip(ticks, labels, strict=True):
        k = int(np.flatnonzero(alphas == tick)[0])
        assert int(label) == np.count_nonzero(coefs[:, k])
    assert labels[0] == "0"  # alpha_max: the empty model


def test_path_sorts_an_increasing_grid_and_labels_first_entries(ax, problem):
    alphas, coefs, _ = shrinkage.lasso_path(*problem, alphas=15)
    names = [f"x{j}" for j in range(coefs.shape[0])]
    plot.plot_path(alphas[::-1], coefs[:, ::-1], feature_names=names, ax=ax)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    entry = [int(np.argmax(c != 0)) if np.any(c) else alphas.size for c in coefs]
    assert legend[0] == names[int(np.argmin(entry))]
    assert set(legend) <= set(names)
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), alphas)


@pytest.mark.parametrize(("alphas", "coefs", "message"), [
    (np.ones((2, 3)), np.ones((2, 3)), "1-D"),
    (np.ones(3), np.ones((2, 4)), "shape"),
    (np.ones(3), np.ones((2, 2, 3)), "multi-target"),
    (np.array([1.0, 0.0, 0.5]), np.ones((2, 3)), "positive"),
])
def test_path_rejects_inconsistent_input(ax, alphas, coefs, message):
    with pytest.raises(ValueError, match=message):
        plot.plot_path(alphas, coefs, ax=ax)


def test_cv_curve_shows_folds_spread_and_the_chosen_alphas(ax, problem):
    model = shrinkage.LassoCV(cv=4, alphas=30).fit(*problem)
    plot.plot_cv(model, ax=ax)
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 30]
    assert len(curves) == 2  # validation and training means
    np.testing.assert_allclose(curves[0].get_ydata(), model.mse_path_.mean(axis=1))
    np.testing.assert_allclose(curves[1].get_ydata(), model.train_mse_path_.mean(axis=1))
    bands = ax.collections
    assert len(bands) == 2
    # The band spans mean +- one standard deviation over the folds.
    upper = model.mse_path_.mean(axis=1) + model.mse_path_.std(axis=1)
    vertices = bands[0].get_paths()[0].vertices
    assert np.isclose(vertices[:, 1].max(), upper.max())
    markers = {line.get_linestyle(): line.get_xdata()[0] for line in ax.get_lines()
               if len(line.get_xdata()) == 2}
    assert markers["--"] == model.alpha_
    mean = model.mse_path_.mean(axis=1)
    best = int(np.argmin(mean))
    within = mean <= mean[best] + model.mse_path_[best].std(ddof=1) / 2  # sd / sqrt(4 folds)
    assert markers[":"] == model.alpha_1se_ == model.alphas_[within].max() >= model.alpha_
    assert ax.get_xlim()[0] > ax.get_xlim()[1]


def test_cv_curve_of_a_relaxed_1se_model_agrees_with_the_model(ax, problem):
    model = shrinkage.LassoCV(cv=4, alphas=30, relax=True, alpha_rule="1se").fit(*problem)
    plot.plot_cv(model, ax=ax)
    markers = {line.get_linestyle(): line.get_xdata()[0] for line in ax.get_lines()
               if len(line.get_xdata()) == 2}
    assert markers["--"] == model.alpha_ == model.alpha_1se_
    assert markers[":"] == model.alpha_1se_
    assert model.gamma_ < 1  # on these data the relaxed fit is chosen: its curve is drawn
    at = list(model.gammas_).index(model.gamma_)
    relaxed = [line for line in ax.get_lines() if "relaxed" in line.get_label()]
    assert len(relaxed) == 1
    np.testing.assert_allclose(relaxed[0].get_ydata(), model.relaxed_mse_path_[at].mean(axis=1))


def test_cv_curve_of_scikit_learns_estimator_and_of_a_pipeline(ax, problem):
    from sklearn.linear_model import LassoCV, RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    theirs = LassoCV(cv=3, alphas=15).fit(*problem)
    plot.plot_cv(theirs, ax=ax)
    curves = [line for line in ax.get_lines() if len(line.get_xdata()) == 15]
    assert len(curves) == 1  # validation only: scikit-learn keeps no training error
    np.testing.assert_allclose(curves[0].get_ydata(), theirs.mse_path_.mean(axis=1))
    ax.clear()
    pipeline = make_pipeline(StandardScaler(), shrinkage.LassoCV(cv=3, alphas=15)).fit(*problem)
    plot.plot_cv(pipeline, ax=ax)
    assert "LassoCV" in ax.get_title()
    with pytest.raises(ValueError, match="RidgeCV keeps no such path"):
        plot.plot_cv(RidgeCV().fit(*problem), ax=ax)


def test_a_plain_savefig_keeps_the_legend_and_title_in_the_image(tmp_path, problem):
    model = shrinkage.LassoCV(cv=3, alphas=15).fit(*problem)
    fig = plt.figure()
    ax = plot.plot_cv(model)
    fig.savefig(tmp_path / "cv.png")
    box = fig.bbox
    for artist in (ax.get_legend(), ax.title):
        extent = artist.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and extent.y1 <= box.y1
    plt.close(fig)


def test_cv_curve_of_one_l1_ratio_among_several(ax, problem):
    model = shrinkage.ElasticNetCV(l1_ratio=[0.2, 0.9], cv=3, alphas=12).fit(*problem)
    other = 0.2 if model.l1_ratio_ == 0.9 else 0.9
    plot.plot_cv(model, l1_ratio=other, ax=ax)
    index = [0.2, 0.9].index(other)
    curve = ax.get_lines()[0]
    np.testing.assert_array_equal(curve.get_xdata(), model.alphas_[index])
    np.testing.assert_allclose(curve.get_ydata(), model.mse_path_[index].mean(axis=1))
    with pytest.raises(ValueError, match="not one of the fitted"):
        plot.plot_cv(model, l1_ratio=0.5, ax=ax)


def test_cv_curve_needs_a_fitted_cv_model(ax, problem):
    with pytest.raises(ValueError, match="fitted LassoCV"):
        plot.plot_cv(shrinkage.LassoCV(), ax=ax)
    with pytest.raises(ValueError, match="fitted LassoCV"):
        plot.plot_cv(shrinkage.Lasso().fit(*problem), ax=ax)


def test_path_colours_do_not_repeat_and_the_legend_is_beside_the_curves():
    X, y = make_correlated_regression(200, 30, random_state=3)
    alphas, coefs, _ = shrinkage.lasso_path(X, y, alphas=20)
    fig, ax = plt.subplots()
    shrinkage.plot.plot_path(alphas, coefs, alpha=alphas[5],
                             feature_names=[f"x{j}" for j in range(30)], ax=ax)
    colors = {tuple(line.get_color()) for line in ax.get_lines()[:30]}
    assert len(colors) == 30  # feature 4 and 24 shared a colour
    legend = ax.get_legend()
    assert "alpha = " in " ".join(t.get_text() for t in legend.get_texts())
    assert legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted()).x0 > 1.0
    plt.close(fig)


def test_cv_plot_says_which_l1_ratio_shows_model_size_and_flags_the_grid_edge():
    pytest.importorskip("sklearn")
    X, y = make_correlated_regression(120, 10, rho=0.3, random_state=4)
    model = shrinkage.ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, alphas=15, eps=0.5).fit(X, y)
    fig, ax = plt.subplots()
    shrinkage.plot.plot_cv(model, ax=ax)
    assert f"l1_ratio = {model.l1_ratio_:g}" in ax.get_title()
    assert ax.secondary_x.get_xlabel().startswith("non-zero coefficients")
    # eps=0.5 stops the grid while the error still falls: the chosen alpha is at its edge.
    assert model.alpha_ == model.alphas_[list(model.l1_ratio).index(model.l1_ratio_)].min()
    assert any("edge" in t.get_text() for t in ax.texts)
    plt.close(fig)
