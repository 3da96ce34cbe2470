// The residual-form solver (sparse X) against the Gram-block solver on the same problem, and
// both against the optimality conditions computed here from the dense Gram: weighted and
// centred columns, duplicate, collinear and empty columns, the elastic net, positive and boxes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "problems.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/sparse_design.hpp"

using namespace shrinkage;

namespace {
struct WeightedProblem {
  int n, p;
  testing::Csc csc;                   // X, sparse, raw
  std::vector<double> s, m;           // row weights, weighted column means
  double total = 0;                   // sum of s
  std::vector<double> norms, gram;    // of Z = sqrt(s) (X - 1 m^T): diagonal and Z^T Z
  std::vector<double> b;              // Z^T sqrt(s) (y - ybar) / n
  double c = 0;                       // ||sqrt(s) (y - ybar)||^2 / n
};

// X with column 3 a copy of column 1, column 5 twice column 2 and column 7 empty.
WeightedProblem make(int n, int p, unsigned seed) {
  auto pr = testing::make_problem(n, p, 0.3, seed);
  auto& x = pr.x;
  const auto col = [&](int j) { return x.begin() + std::ptrdiff_t(j) * n; };
  std::copy(col(1), col(2), col(3));
  std::transform(col(2), col(3), col(5), [](double v) { return 2 * v; });
  std::fill(col(7), col(8), 0.0);
  WeightedProblem w{n, p, testing::to_csc(x, n, p, 0.6, false)};
  w.s.resize(n);
  for (int i = 0; i < n; ++i) w.total += w.s[i] = 0.25 + (i % 5) * 0.5;
  w.m.assign(p, 0.0);
  std::vector<double> z(x.size());
  for (int j = 0; j < p; ++j) {
    for (int i = 0; i < n; ++i) w.m[j] += w.s[i] * x[std::size_t(j) * n + i] / w.total;
    for (int i = 0; i < n; ++i)
      z[std::size_t(j) * n + i] = std::sqrt(w.s[i]) * (x[std::size_t(j) * n + i] - w.m[j]);
  }
  double ybar = 0;
  for (int i = 0; i < n; ++i) ybar += w.s[i] * pr.y[i] / w.total;
  std::vector<double> yz(n);
  for (int i = 0; i < n; ++i) yz[i] = std::sqrt(w.s[i]) * (pr.y[i] - ybar);
  w.norms = testing::sq_norms(z, n, p);
  w.gram = testing::unscaled_gram(z, n, p);
  for (double& v : w.gram) v /= n;
  w.b.assign(p, 0.0);
  for (int j = 0; j < p; ++j)
    for (int i = 0; i < n; ++i) w.b[j] += z[std::size_t(j) * n + i] * yz[i] / n;
  for (double v : yz) w.c += v * v / n;
  return w;
}

// P(w) from the dense statistics.
double objective(const WeightedProblem& pr, const double* w, double l1, double l2) {
  double v = 0.5 * pr.c, penalty = 0;
  for (int j = 0; j < pr.p; ++j) {
    double gw = 0;
    for (int k = 0; k < pr.p; ++k) gw += pr.gram[std::size_t(k) * pr.p + j] * w[k];
    v += 0.5 * w[j] * gw - pr.b[j] * w[j];
    penalty += l1 * std::fabs(w[j]) + 0.5 * l2 * w[j] * w[j];
  }
  return v + penalty;
}
}  // namespace

TEST_CASE("the residual-form path on weighted, centred sparse X with degenerate columns") {
  const auto pr = make(80, 30, 21);
  double top = 0;
  for (double v : pr.b) top = std::max(top, std::fabs(v));
  for (const double rho : {1.0, 0.5})
    for (const bool positive : {false, true}) {
      std::vector<double> alphas(25);
      for (int k = 0; k < 25; ++k) alphas[k] = top / rho * std::pow(1e-3, k / 24.0);
      PathOptions opt;
      opt.l1_ratio = rho;
      opt.positive = positive;
      opt.tol = 1e-10;
      SparseDesign sparse(pr.csc.indptr.data(), pr.csc.indices.data(), pr.csc.data.data(), pr.n,
                          pr.p, static_cast<std::int64_t>(pr.csc.data.size()), pr.norms.data(),
                          1.0 / pr.n, pr.s.data(), pr.m.data(), pr.total);
      REQUIRE(sparse.columns() != nullptr);  // the residual-form solver runs
      FullGram full(pr.gram.data(), pr.p, 1.0);
      const auto residual = testing::solve_path(sparse, pr.b, 1, pr.c, alphas, opt);
      const auto block = testing::solve_path(full, pr.b, 1, pr.c, alphas, opt);
      for (int k = 0; k < 25; ++k) {
        CHECK(residual.result.converged[k]);
        CHECK(residual.result.gaps[k] <= opt.tol * pr.c);
        std::vector<double> wr(pr.p), wb(pr.p);
        for (int j = 0; j < pr.p; ++j) {
          wr[j] = residual.coefs[std::size_t(j) * 25 + k];
          wb[j] = block.coefs[std::size_t(j) * 25 + k];
        }
        CHECK(wr[7] == 0.0);
        if (positive) CHECK(*std::min_element(wr.begin(), wr.end()) >= 0.0);
        // Both certified to 1e-10 c: their objectives agree to the sum of the two gaps (the
        // coefficients of duplicate and collinear columns need not).
        const double l1 = alphas[k] * rho, l2 = alphas[k] * (1 - rho);
        const double pr_r = objective(pr, wr.data(), l1, l2), pr_b = objective(pr, wb.data(), l1, l2);
        CHECK(std::fabs(pr_r - pr_b) <= 2.5e-10 * pr.c);
      }
    }
}

TEST_CASE("the residual-form path with per-feature weights and boxes meets tol") {
  const auto pr = make(60, 20, 5);
  std::vector<Coordinate> coords(pr.p);
  for (int j = 0; j < pr.p; ++j) {
    coords[j].a = coords[j].e = 0.5 + (j % 3) * 0.75;
    coords[j].lo = -0.3;
    coords[j].hi = j % 2 ? 0.2 : std::numeric_limits<double>::infinity();
  }
  PathOptions opt;
  opt.tol = 1e-9;
  opt.l1_ratio = 0.7;
  opt.features = {coords.data(), true};
  double top = 0;
  for (int j = 0; j < pr.p; ++j) top = std::max(top, std::fabs(pr.b[j]) / coords[j].a);
  std::vector<double> alphas(15);
  for (int k = 0; k < 15; ++k) alphas[k] = top / 0.7 * std::pow(1e-2, k / 14.0);
  SparseDesign sparse(pr.csc.indptr.data(), pr.csc.indices.data(), pr.csc.data.data(), pr.n,
                      pr.p, static_cast<std::int64_t>(pr.csc.data.size()), pr.norms.data(),
                      1.0 / pr.n, pr.s.data(), pr.m.data(), pr.total);
  const auto solved = testing::solve_path(sparse, pr.b, 1, pr.c, alphas, opt);
  for (int k = 0; k < 15; ++k) {
    CHECK(solved.result.converged[k]);
    CHECK(solved.result.gaps[k] <= opt.tol * pr.c);
    for (int j = 0; j < pr.p; ++j) {
      const double v = solved.coefs[std::size_t(j) * 15 + k];
      CHECK(v >= coords[j].lo);
      CHECK(v <= coords[j].hi);
    }
  }
}
