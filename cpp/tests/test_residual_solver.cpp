// The residual-form solver (sparse and dense X) against the Gram-block solver on the same
// problem, and both against the optimality conditions computed here from the dense Gram:
// weighted and centred columns, duplicate, collinear and empty columns, the elastic net,
// positive and boxes. The problems are wide and their columns short (a few nonzeros each), so
// that the cost model hands the growing working sets to the residual form (checked by its
// epoch count).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "problems.hpp"
#include "shrinkage/dense_design.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/penalty.hpp"
#include "shrinkage/residual_solver.hpp"
#include "shrinkage/sparse_design.hpp"

using namespace shrinkage;

namespace {
struct WeightedProblem {
  int n, p;
  std::vector<double> x;              // X, dense (column-major), raw
  testing::Csc csc;                   // the same X, sparse
  std::vector<double> s, m;           // row weights, weighted column means
  double total = 0;                   // sum of s
  std::vector<double> norms, gram;    // of Z = sqrt(s) (X - 1 m^T): diagonal and Z^T Z
  std::vector<double> b;              // Z^T sqrt(s) (y - ybar) / n
  double c = 0;                       // ||sqrt(s) (y - ybar)||^2 / n
};

// X with column 3 a copy of column 1, column 5 twice column 2 and column 7 empty; entries
// below `threshold` in magnitude dropped (2.0: about 5% of them kept).
WeightedProblem make(int n, int p, unsigned seed, double threshold = 2.0) {
  auto pr = testing::make_problem(n, p, 0.3, seed);
  auto& x = pr.x;
  const auto col = [&](int j) { return x.begin() + std::ptrdiff_t(j) * n; };
  std::copy(col(1), col(2), col(3));
  std::transform(col(2), col(3), col(5), [](double v) { return 2 * v; });
  std::fill(col(7), col(8), 0.0);
  WeightedProblem w;
  w.n = n;
  w.p = p;
  w.csc = testing::to_csc(x, n, p, threshold, false);
  w.x = x;
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

// A path against the block solver's on the full Gram: each alpha certified to tol, the empty
// column held at zero, positive where asked, and the two objectives equal to the sum of the
// two gaps (the coefficients of duplicate and collinear columns need not be).
void check_against_block(const WeightedProblem& pr, const testing::SolvedPath& path,
                         const testing::SolvedPath& block, const std::vector<double>& alphas,
                         const PathOptions& opt) {
  const std::size_t K = alphas.size();
  for (std::size_t k = 0; k < K; ++k) {
    CHECK(path.result.converged[k]);
    CHECK(path.result.gaps[k] <= opt.tol * pr.c);
    std::vector<double> wr(pr.p), wb(pr.p);
    for (int j = 0; j < pr.p; ++j) {
      wr[j] = path.coefs[std::size_t(j) * K + k];
      wb[j] = block.coefs[std::size_t(j) * K + k];
    }
    CHECK(wr[7] == 0.0);
    if (opt.positive) CHECK(*std::min_element(wr.begin(), wr.end()) >= 0.0);
    const double l1 = alphas[k] * opt.l1_ratio, l2 = alphas[k] * (1 - opt.l1_ratio);
    const double pr_r = objective(pr, wr.data(), l1, l2), pr_b = objective(pr, wb.data(), l1, l2);
    CHECK(std::fabs(pr_r - pr_b) <= 2.5 * opt.tol * pr.c);
  }
}
}  // namespace

TEST_CASE("the residual-form path on weighted, centred sparse X with degenerate columns") {
  const auto pr = make(60, 300, 21);
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
      SparseDesign sparse(pr.csc.arrays(), {}, pr.n, pr.p, 1.0 / pr.n, pr.s.data(), pr.m.data());
      FullGram full(pr.gram.data(), pr.p, 1.0);
      const auto residual = testing::solve_path(sparse, pr.b, 1, pr.c, alphas, opt);
      const auto block = testing::solve_path(full, pr.b, 1, pr.c, alphas, opt);
      INFO("l1_ratio " << rho << ", positive " << positive);
      CHECK(residual.result.residual_epochs > 0);
      CHECK(block.result.residual_epochs == 0);
      check_against_block(pr, residual, block, alphas, opt);
    }
}

TEST_CASE("the residual-form path with per-feature weights and boxes meets tol") {
  const auto pr = make(50, 200, 5);
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
  SparseDesign sparse(pr.csc.arrays(), {}, pr.n, pr.p, 1.0 / pr.n, pr.s.data(), pr.m.data());
  const auto solved = testing::solve_path(sparse, pr.b, 1, pr.c, alphas, opt);
  CHECK(solved.result.residual_epochs > 0);
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

TEST_CASE("the residual-form path on weighted, centred dense X, either order") {
  const auto pr = make(30, 600, 8);
  std::vector<double> x_rows(pr.x.size());  // X in row-major (C) order
  for (int i = 0; i < pr.n; ++i)
    for (int j = 0; j < pr.p; ++j)
      x_rows[std::size_t(i) * pr.p + j] = pr.x[std::size_t(j) * pr.n + i];
  double top = 0;
  for (double v : pr.b) top = std::max(top, std::fabs(v));
  FullGram full(pr.gram.data(), pr.p, 1.0);
  // A small l1_ratio: the support outgrows n, and the residual form takes the working set.
  for (const double rho : {1.0, 0.05})
    for (const bool fortran : {true, false}) {
      std::vector<double> alphas(20);
      for (int k = 0; k < 20; ++k) alphas[k] = top / rho * std::pow(1e-3, k / 19.0);
      PathOptions opt;
      opt.l1_ratio = rho;
      opt.tol = 1e-10;
      DenseDesign<double> dense(fortran ? pr.x.data() : x_rows.data(), pr.n, pr.p, fortran,
                                pr.norms.data(), 1.0 / pr.n, pr.s.data(), pr.m.data());
      const auto residual = testing::solve_path(dense, pr.b, 1, pr.c, alphas, opt);
      const auto block = testing::solve_path(full, pr.b, 1, pr.c, alphas, opt);
      INFO("l1_ratio " << rho << ", Fortran order " << fortran);
      if (rho < 1) CHECK(residual.result.residual_epochs > 0);
      check_against_block(pr, residual, block, alphas, opt);
    }
}

TEST_CASE("the residual-form solver alone reaches the optimum of its working set") {
  // All features form W; without the driver's certificates and fallbacks, the solver's own
  // epochs must reach the block's gap target (a broken update or gradient would stall).
  const auto pr = make(40, 120, 3);
  SparseDesign sparse(pr.csc.arrays(), {}, pr.n, pr.p, 1.0 / pr.n, pr.s.data(), pr.m.data());
  DenseDesign<double> dense(pr.x.data(), pr.n, pr.p, true, pr.norms.data(), 1.0 / pr.n,
                            pr.s.data(), pr.m.data());
  std::vector<int> all(pr.p);
  std::iota(all.begin(), all.end(), 0);
  std::vector<double> diag(pr.norms);
  for (double& v : diag) v /= pr.n;
  double top = 0;
  for (double v : pr.b) top = std::max(top, std::fabs(v));
  PathOptions opt;
  opt.l1_ratio = 0.8;
  opt.max_iter = 100000;
  const ElasticNet pen = ElasticNet::at(0.05 * top, opt, 1);
  Poller poller({});
  for (GramSource* source : {static_cast<GramSource*>(&sparse), static_cast<GramSource*>(&dense)}) {
    SourceScratch scratch;
    const WorkingColumns columns = source->working_columns(all.data(), pr.p, scratch);
    ResidualSolver<ElasticNet> solver(opt, poller);
    std::vector<double> w(pr.p, 0.0);
    solver.load(pen, columns, all, w.data(), pr.b.data(), diag.data());
    int epochs = 0;
    CHECK(solver.run(pen, pr.c, 1e-12 * pr.c, epochs, 100000));
    CHECK(epochs < 100000);
    solver.store(w.data());
    // The optimum's conditions, from the dense Gram: |q_j| <= l1 at zeros, q_j - l2 w_j =
    // l1 sign(w_j) elsewhere (to the accuracy a 1e-12 gap allows).
    for (int j = 0; j < pr.p; ++j) {
      double q = pr.b[j];
      for (int k = 0; k < pr.p; ++k) q -= pr.gram[std::size_t(k) * pr.p + j] * w[k];
      if (w[j] == 0.0)
        CHECK(std::fabs(q) <= pen.l1() * (1 + 1e-4));
      else
        CHECK(q - pen.l2() * w[j] == doctest::Approx(pen.l1() * (w[j] > 0 ? 1 : -1)).epsilon(1e-4));
    }
  }
}
