// The penalties' prox and magnitudes, the duality gap and gap-safe screening, on cases computed
// by hand and on the solution of a small problem.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "problems.hpp"
#include "shrinkage/enet_path.hpp"
#include "shrinkage/free_features.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/gap.hpp"
#include "shrinkage/penalty.hpp"

using namespace shrinkage;

TEST_CASE("elastic-net prox: soft threshold over G_jj + l2, sign and positivity") {
  const double H[1] = {2.0};
  const int order[1] = {0};
  struct Case { double b, l1, l2; bool positive; double w; };
  for (const Case& k : {Case{3, 1, 0.5, false, 0.8}, Case{-3, 1, 0.5, false, -0.8},
                        Case{0.5, 1, 0.5, false, 0.0}, Case{-3, 1, 0.5, true, 0.0},
                        Case{3, 0, 0, false, 1.5}}) {
    double w = 0, q = k.b;  // q = b - G w at w = 0
    const EpochResult r = ElasticNet(k.l1, k.l2, k.positive).sweep(1, H, 1, &w, &q, order);
    CHECK(w == doctest::Approx(k.w));
    CHECK(q == doctest::Approx(k.b - 2.0 * k.w));  // the gradient follows the update
    CHECK(r.support_changed == (k.w != 0.0));
  }
}

TEST_CASE("l2,1 prox shrinks the whole row by its norm") {
  const double H[1] = {2.0};
  const int order[1] = {0};
  double w[2] = {0, 0}, q[2] = {3, 4};  // z = (3, 4), ||z|| = 5
  GroupL21(1.0, 0.0, 2).sweep(1, H, 1, w, q, order);
  CHECK(w[0] == doctest::Approx(0.4 * 3));  // (1 - l1 / ||z||) / G_jj = 0.4
  CHECK(w[1] == doctest::Approx(0.4 * 4));
  double small[2] = {0, 0}, qs[2] = {0.6, 0.8};  // ||z|| = 1 <= l1: the row stays zero
  GroupL21(1.0, 0.0, 2).sweep(1, H, 1, small, qs, order);
  CHECK(small[0] == 0.0);
  CHECK(small[1] == 0.0);
}

TEST_CASE("magnitudes: |g|, g's positive part with w >= 0, the row norm for l2,1") {
  const auto minus_two = [](int) { return -2.0; };
  const ElasticNet plain(1, 0, false), positive(1, 0, true);
  CHECK(plain.magnitude(plain.coordinate(0), minus_two) == 2.0);
  CHECK(positive.magnitude(positive.coordinate(0), minus_two) == 0.0);
  const double row[3] = {1, 2, 2};
  CHECK(GroupL21(1, 0, 3).magnitude({}, [&](int t) { return row[t]; }) == doctest::Approx(3.0));
  CHECK(ElasticNet(1, 0.5, true).ridge_conjugate(positive.coordinate(0), -3.0) == 0.0);
  CHECK(ElasticNet(1, 0.5, false).ridge_conjugate(plain.coordinate(0), -3.0) == 9.0);
}

TEST_CASE("per-feature terms: weighted prox, box, magnitudes and conjugates") {
  const Coordinate coords[2] = {{2.0, 0.5, -0.25, 0.0}, {0.0, 0.0, -INFINITY, INFINITY}};
  const FeatureTerms terms{coords, true};
  const ElasticNet pen(1.0, 1.0, false, terms);
  const Coordinate k0 = pen.coordinate(0), k1 = pen.coordinate(1);
  CHECK(k1.free());
  CHECK_FALSE(k0.free());
  // Feature 0: l1 2, l2 0.5, -0.25 <= w <= 0. z = -3 over G + 0.5 = 2.5: -0.4, clamped to -0.25.
  const double H[1] = {2.0};
  const int order[1] = {0};
  double w = 0, q = -3;
  pen.sweep(1, H, 1, &w, &q, order, &k0);
  CHECK(w == -0.25);
  CHECK(q == doctest::Approx(-3 + 2 * 0.25));
  // It may only move down: a positive gradient does not push it; a negative one per unit l1 weight.
  CHECK(pen.magnitude(k0, [](int) { return 3.0; }) == 0.0);
  CHECK(pen.magnitude(k0, [](int) { return -3.0; }) == 1.5);
  // Both of its sides are bounded, so nothing scales the dual point; the lower side's conjugate
  // is 0.25 (|u| - l1 a) beyond l1 a = 2.
  CHECK(pen.dual_magnitude(k0, [](int) { return -3.0; }) == 0.0);
  CHECK(pen.bound_conjugate(k0, -3.0, -3.0) == doctest::Approx(0.25));
  CHECK(pen.bound_conjugate(k0, 1.0, 1.0) == 0.0);
  // The free feature: any push is infinite per unit of its zero weight; sup of u w is +inf.
  CHECK(pen.magnitude(k1, [](int) { return 1e-300; }) == INFINITY);
  CHECK(pen.ridge_conjugate(k1, 0.0) == 0.0);
  CHECK(ElasticNet(0.0, 1.0, false, terms).ridge_conjugate(
            k0, -1.0) == doctest::Approx(-1.0 * -0.25 - 0.5 * 0.5 * 0.0625));
}

TEST_CASE("duality gap of a one-feature lasso, by hand") {
  // G = 1, b = 1, c = 2, l1 = 0.5. At w = 0 the dual point is r / 2: gap = 1 - 0.75.
  const double b = 1, bound = 0;
  double w = 0, q = 1;
  const ElasticNet pen(0.5, 0.0, false);
  CHECK(full_gap(pen, PointView{1, 1, &w, &q, &b, &bound}, 2.0).value == doctest::Approx(0.25));
  CHECK(full_gap(pen, PointView{1, 1, &w, &q, &b, &bound}, 2.0).dual_norm == 1.0);
  // At the optimum w = b - l1 = 0.5 (q = 0.5 = l1) the gap closes.
  w = 0.5;
  q = 0.5;
  CHECK(std::fabs(full_gap(pen, PointView{1, 1, &w, &q, &b, &bound}, 2.0).value) < 1e-15);
  // A bound on q enters the dual norm: the certificate stays valid for the worst q.
  const double loose = 0.25;
  CHECK(full_gap(pen, PointView{1, 1, &w, &q, &b, &loose}, 2.0).value > 0.1);
}

TEST_CASE("ridge dual gap (no l1 term), by hand") {
  // G = 1, b = 1, c = 2, l2 = 1 at w = 0: r2 + 0 - c + q^2 / (2 l2) = 0.5, above the true
  // suboptimality P(0) - P(w*) = 1 - 0.75.
  const double b = 1, bound = 0, w = 0, q = 1;
  const double gap = full_gap(ElasticNet(0.0, 1.0, false), PointView{1, 1, &w, &q, &b, &bound}, 2.0).value;
  CHECK(gap == doctest::Approx(0.5));
  CHECK(gap >= 0.25);
}

TEST_CASE("the block gap on the whole problem equals the full gap") {
  const auto pr = testing::make_problem(40, 6, 0.3, 1);
  std::vector<double> w = {0.3, -0.1, 0, 0.2, 0, 0};
  const auto q = testing::gradient(pr, w);
  const std::vector<double> bound(6, 0.0);
  BlockPoint x;
  x.m = 6;
  x.w = w;
  x.q = q;
  x.b = pr.b;
  for (const ElasticNet& pen : {ElasticNet(0.05, 0.02, false), ElasticNet(0.0, 0.1, false)}) {
    const double full = full_gap(pen, PointView{6, 1, w.data(), q.data(), pr.b.data(), bound.data()}, pr.c).value;
    CHECK(block_gap(pen, x, pr.c) == doctest::Approx(full).epsilon(1e-12));
    CHECK(full > 0);  // weak duality: w is not optimal
  }
}

TEST_CASE("gap-safe screening removes only features that are zero at the optimum") {
  const auto pr = testing::make_problem(60, 30, 0.5, 2);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  double alpha_max = 0;
  for (double v : pr.b) alpha_max = std::max(alpha_max, std::fabs(v));
  const double alpha = 0.2 * alpha_max;
  PathOptions opt;
  opt.tol = 1e-14;
  const auto exact = testing::solve_path(gram, pr.b, 1, pr.c, {alpha}, opt);
  // A loose point near the optimum and its gap: every feature it screens is zero at the optimum.
  std::vector<double> w(exact.coefs);
  for (double& v : w) v *= 0.97;
  const auto q = testing::gradient(pr, w);
  const std::vector<double> bound(pr.p, 0.0);
  const ElasticNet pen(alpha, 0.0, false);
  const PointView x{pr.p, 1, w.data(), q.data(), pr.b.data(), bound.data()};
  const Gap gap = full_gap(pen, x, pr.c);
  std::vector<double> diag(pr.p);
  for (int j = 0; j < pr.p; ++j) diag[j] = pr.gram[std::size_t(j) * pr.p + j];
  std::vector<char> screened(pr.p, 0);
  std::vector<int> zeroed;
  gap_safe_screen(pen, x, gap, diag.data(), screened, zeroed);
  int n_screened = 0;
  for (int j = 0; j < pr.p; ++j) {
    n_screened += screened[j];
    if (screened[j]) CHECK(exact.coefs[j] == 0.0);
  }
  CHECK(n_screened > 0);
  CHECK(zeroed.empty());  // w has the optimum's support, so nothing non-zero is screened
}

TEST_CASE("unpenalised features: projected out of the dual point unless they rest on a bound") {
  const double G[4] = {2.0, 1.0, 1.0, 2.0};
  FullGram gram(G, 2, 1.0);
  const double inf = INFINITY;
  // Feature 0 unpenalised and unbounded; feature 1 unpenalised with w_1 >= 0.
  const FreeFeatures free({0, 1}, {{0, 0, -inf, inf}, {0, 0, 0.0, inf}}, gram);
  const double w[2] = {0.3, 0.0}, b[2] = {1.0, 0.5};
  // q_1 < 0 pushes feature 1 against its bound: only feature 0 moves, by 0.5 / 2; feature 1's
  // correlation moves by G_10 delta to -1.25 and still pushes against the bound.
  const double resting[2] = {0.5, -1.0};
  const Shift a = free.shift(w, resting, b);
  CHECK(free.projected(0));
  CHECK_FALSE(free.projected(1));
  CHECK(free.moved_q(1) == doctest::Approx(-1.25));
  CHECK(a.spread == doctest::Approx(0.25 * 0.5));
  CHECK(a.wb == doctest::Approx(0.25 * 1.0));
  // Here the move would push feature 1 off its bound (-0.1 + 0.5 > 0): both are projected,
  // delta = G^-1 q = (-19/30, 8/30).
  const double pushed_off[2] = {-1.0, -0.1};
  const Shift c = free.shift(w, pushed_off, b);
  CHECK(free.projected(1));
  CHECK(c.spread == doctest::Approx(19.0 / 30 - 0.8 / 30));
  CHECK(c.wb == doctest::Approx(-19.0 / 30 + 4.0 / 30));
}
