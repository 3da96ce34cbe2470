// Whole paths checked by their optimality conditions, computed here from G and b: the KKT
// conditions of every returned point and its duality gap against tol.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "problems.hpp"
#include "shrinkage/enet_path.hpp"
#include "shrinkage/full_gram.hpp"

using namespace shrinkage;

namespace {
std::vector<double> geometric_alphas(const testing::Problem& pr, double rho, int k, double eps) {
  double top = 0;
  for (double v : pr.b) top = std::max(top, std::fabs(v));
  std::vector<double> a(k);
  for (int i = 0; i < k; ++i) a[i] = top / rho * std::pow(eps, double(i) / (k - 1));
  return a;
}
// max over features of the violation of the KKT conditions of one point, relative to l1.
double kkt_violation(const testing::Problem& pr, const std::vector<double>& w, double l1,
                     double l2, bool positive) {
  const auto q = testing::gradient(pr, w);
  double worst = 0;
  for (int j = 0; j < pr.p; ++j) {
    const double g = q[j] - l2 * w[j];  // = l1 sign(w_j) at a non-zero, |g| <= l1 at a zero
    double v;
    if (w[j] != 0)
      v = std::fabs(g - l1 * (w[j] > 0 ? 1 : -1));
    else
      v = std::max(0.0, (positive ? g : std::fabs(g)) - l1);
    worst = std::max(worst, v);
  }
  return worst / l1;
}
}  // namespace

TEST_CASE("lasso and elastic-net paths meet tol and the KKT conditions at every alpha") {
  for (const bool positive : {false, true})
    for (const double rho : {1.0, 0.5}) {
      const auto pr = testing::make_problem(100, 40, 0.6, 12);
      FullGram gram(pr.gram.data(), pr.p, 1.0);
      const auto alphas = geometric_alphas(pr, rho, 30, 1e-3);
      PathOptions opt;
      opt.l1_ratio = rho;
      opt.positive = positive;
      opt.tol = 1e-10;
      const auto solved = testing::solve_path(gram, pr.b, 1, pr.c, alphas, opt);
      const PathResult& res = solved.result;
      for (int k = 0; k < 30; ++k) {
        std::vector<double> w(pr.p);
        for (int j = 0; j < pr.p; ++j) w[j] = solved.coefs[std::size_t(j) * 30 + k];
        CHECK(res.converged[k]);
        CHECK(res.gaps[k] <= opt.tol * pr.c);
        CHECK(res.gaps[k] >= -1e-15 * pr.c);
        // The gap bounds the distance to the optimum; at tol 1e-10 the KKT residual is small.
        CHECK(kkt_violation(pr, w, alphas[k] * rho, alphas[k] * (1 - rho), positive) < 1e-3);
        if (positive)
          for (double v : w) CHECK(v >= 0.0);
      }
    }
}

TEST_CASE("multi-task path meets tol and the l2,1 KKT conditions") {
  const int nt = 3;
  const auto pr = testing::make_problem(80, 25, 0.5, 13, nt);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  std::vector<double> alphas = {0.3, 0.1, 0.03, 0.01};
  PathOptions opt;
  opt.tol = 1e-10;
  const auto solved = testing::solve_path(gram, pr.b, nt, pr.c, alphas, opt);
  const PathResult& res = solved.result;
  for (int k = 0; k < 4; ++k) {
    CHECK(res.gaps[k] <= opt.tol * pr.c);
    std::vector<double> w(std::size_t(pr.p) * nt);
    for (int t = 0; t < nt; ++t)
      for (int j = 0; j < pr.p; ++j)
        w[std::size_t(t) * pr.p + j] = solved.coefs[(std::size_t(t) * pr.p + j) * 4 + k];
    const auto q = testing::gradient(pr, w, nt);
    for (int j = 0; j < pr.p; ++j) {
      double qn = 0, wn = 0;
      for (int t = 0; t < nt; ++t) {
        qn += q[std::size_t(t) * pr.p + j] * q[std::size_t(t) * pr.p + j];
        wn += w[std::size_t(t) * pr.p + j] * w[std::size_t(t) * pr.p + j];
      }
      if (wn == 0) CHECK(std::sqrt(qn) <= alphas[k] * (1 + 1e-3));
      else CHECK(std::sqrt(qn) == doctest::Approx(alphas[k]).epsilon(1e-3));  // q_j = l1 u_j
    }
  }
}

TEST_CASE("a checkpoint that returns true interrupts the path") {
  const auto pr = testing::make_problem(50, 10, 0.5, 14);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  const auto alphas = geometric_alphas(pr, 1.0, 10, 1e-2);
  int calls = 0;
  const Checkpoint stop_after_three = [&](int done) { return ++calls, done == 3; };
  CHECK_THROWS_AS(testing::solve_path(gram, pr.b, 1, pr.c, alphas, PathOptions{}, stop_after_three),
                  PathInterrupted);
  CHECK(calls >= 3);
}

TEST_CASE("positive with several targets is refused") {
  const auto pr = testing::make_problem(20, 5, 0.5, 15, 2);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  PathOptions opt;
  opt.positive = true;
  const double alpha = 0.1;
  CHECK_THROWS_AS(testing::solve_path(gram, pr.b, 2, pr.c, {alpha}, opt), std::invalid_argument);
}

TEST_CASE("dfmax stops after the first alpha above it, pmax before the first above it") {
  const auto pr = testing::make_problem(100, 30, 0.4, 16);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  const int k = 40;
  const auto alphas = geometric_alphas(pr, 1.0, k, 1e-3);
  const auto full = testing::solve_path(gram, pr.b, 1, pr.c, alphas, PathOptions{});
  REQUIRE(full.result.n_done == k);
  std::vector<int> df(k), ever(k);
  for (int a = 0; a < k; ++a)
    for (int j = 0; j < pr.p; ++j) df[a] += full.coefs[std::size_t(j) * k + a] != 0.0;
  for (int a = 0; a < k; ++a) {  // ever[a]: features non-zero at some alpha <= a
    ever[a] = 0;
    for (int j = 0; j < pr.p; ++j) {
      bool any = false;
      for (int b = 0; b <= a; ++b) any = any || full.coefs[std::size_t(j) * k + b] != 0.0;
      ever[a] += any;
    }
  }
  const int limit = 5;
  int first_df = 0, first_ever = 0;
  while (first_df < k && df[first_df] <= limit) ++first_df;
  while (first_ever < k && ever[first_ever] <= limit) ++first_ever;
  REQUIRE(first_df < k);
  REQUIRE(first_ever < k);
  PathOptions opt;
  opt.dfmax = limit;
  const auto by_df = testing::solve_path(gram, pr.b, 1, pr.c, alphas, opt);
  CHECK(by_df.result.n_done == first_df + 1);  // that alpha included
  CHECK(by_df.result.gaps.size() == std::size_t(first_df + 1));
  opt = PathOptions{};
  opt.pmax = limit;
  const auto by_ever = testing::solve_path(gram, pr.b, 1, pr.c, alphas, opt);
  CHECK(by_ever.result.n_done == first_ever);  // that alpha excluded
  CHECK(by_ever.result.n_iter.size() == std::size_t(first_ever));
}
