// Newton steps on the support against a dense LAPACK solve of the same optimality conditions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "problems.hpp"
#include "shrinkage/enet_path.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/gap.hpp"
#include "shrinkage/support_newton.hpp"
#include "shrinkage/working_set.hpp"

using namespace shrinkage;

extern "C" void dposv_(const char* uplo, const int* n, const int* nrhs, double* a, const int* lda,
                       double* b, const int* ldb, int* info);

namespace {
struct Fixture {
  testing::Problem pr;
  FullGram gram;
  SourceScratch scratch;
  WorkingSet ws;
  BlockView block;
  explicit Fixture(testing::Problem problem)
      : pr(std::move(problem)), gram(pr.gram.data(), pr.p, 1.0), ws(pr.p) {
    for (int j = 0; j < pr.p; ++j) ws.admit(j);
    block = ws.pack(gram, scratch);
  }
  // The solution of (G_SS + l2 I) w_S = b_S - l1 sign_S on the support of `signs`.
  std::vector<double> dense_solution(const std::vector<double>& signs, double l1, double l2) const {
    std::vector<int> S;
    for (int j = 0; j < pr.p; ++j)
      if (signs[j] != 0) S.push_back(j);
    const int s = static_cast<int>(S.size()), one = 1;
    std::vector<double> a(std::size_t(s) * s), rhs(s);
    for (int i = 0; i < s; ++i) {
      rhs[i] = pr.b[S[i]] - l1 * signs[S[i]];
      for (int k = 0; k < s; ++k) a[std::size_t(k) * s + i] = pr.gram[std::size_t(S[k]) * pr.p + S[i]];
      a[std::size_t(i) * s + i] += l2;
    }
    int info = 0;
    dposv_("L", &s, &one, a.data(), &s, rhs.data(), &s, &info);
    REQUIRE(info == 0);
    std::vector<double> w(pr.p, 0.0);
    for (int i = 0; i < s; ++i) w[S[i]] = rhs[i];
    return w;
  }
  BlockPoint point(const std::vector<double>& w) const {
    BlockPoint x;
    x.m = pr.p;
    x.w = w;
    x.q = testing::gradient(pr, w);
    x.b = pr.b;
    return x;
  }
  std::vector<double> solution(double l1, double l2) {
    const double alpha = l1 + l2;
    PathOptions opt;
    opt.l1_ratio = l1 / alpha;
    opt.tol = 1e-15;
    return testing::solve_path(gram, pr.b, 1, pr.c, {alpha}, opt).coefs;
  }
};
std::vector<double> signs_of(const std::vector<double>& w) {
  std::vector<double> s(w.size());
  for (std::size_t j = 0; j < w.size(); ++j) s[j] = (w[j] > 0) - (w[j] < 0);
  return s;
}
}  // namespace

TEST_CASE("a step on the right support lands on the dense solution, with the factor cached") {
  Fixture f(testing::make_problem(80, 20, 0.5, 4));
  SupportNewton newton(f.pr.p);
  for (const double l2 : {0.0, 0.01}) {
    for (const double l1 : {0.05, 0.048, 0.046}) {  // the same l2: the factor is reused
      const auto optimum = f.solution(l1, l2);
      const auto signs = signs_of(optimum);
      const auto expected = f.dense_solution(signs, l1, l2);
      std::vector<double> start(optimum);
      for (double& v : start) v *= 0.9;  // same support and signs
      BlockPoint x = f.point(start);
      REQUIRE(newton.step(ElasticNet(l1, l2, false), f.block, x, 0) == NewtonOutcome::Full);
      const auto q = testing::gradient(f.pr, x.w);
      for (int j = 0; j < f.pr.p; ++j) {
        CHECK(x.w[j] == doctest::Approx(expected[j]).epsilon(1e-10));
        CHECK(x.q[j] == doctest::Approx(q[j]).epsilon(1e-10));  // q follows w
      }
      CHECK(block_gap(ElasticNet(l1, l2, false), x, f.pr.c) < 1e-12 * f.pr.c);
    }
  }
}

// Along an elastic-net path l2 changes at every alpha (up and down here): the factor cached
// for one l2 must not serve another. Tall, and wide with a support larger than n (G_SS
// singular, G_SS + l2 I not).
TEST_CASE("a step after l2 changed lands on the dense solution of the new l2") {
  for (const auto& [n, p] : {std::pair{80, 20}, {15, 30}}) {
    CAPTURE(n);
    Fixture f(testing::make_problem(n, p, 0.5, 6));
    SupportNewton newton(f.pr.p);
    const double l1 = n > p ? 0.03 : 0.003;
    for (const double l2 : {0.02, 0.0187, 0.0174, 0.0163, 0.0175, 0.01, 0.0093}) {
      CAPTURE(l2);
      const auto optimum = f.solution(l1, l2);
      const auto signs = signs_of(optimum);
      int s = 0;
      for (const double sign : signs) s += sign != 0;
      if (n < p) CHECK(s > n);
      const auto expected = f.dense_solution(signs, l1, l2);
      std::vector<double> start(optimum);
      for (double& v : start) v *= 0.9;
      BlockPoint x = f.point(start);
      REQUIRE(newton.step(ElasticNet(l1, l2, false), f.block, x, 0) == NewtonOutcome::Full);
      double worst = 0, largest = 0;
      for (int j = 0; j < f.pr.p; ++j) {
        worst = std::max(worst, std::abs(x.w[j] - expected[j]));
        largest = std::max(largest, std::abs(expected[j]));
      }
      CHECK(worst <= 1e-10 * largest);
    }
  }
}

TEST_CASE("a step that would flip a sign stops there and drops the coordinate") {
  Fixture f(testing::make_problem(80, 20, 0.5, 5));
  const double l1 = 0.05;
  const auto optimum = f.solution(l1, 0.0);
  std::vector<double> start(optimum);
  int zero_feature = -1;
  for (int j = 0; j < f.pr.p && zero_feature < 0; ++j)
    if (optimum[j] == 0.0) zero_feature = j;
  REQUIRE(zero_feature >= 0);
  start[zero_feature] = 0.05;  // a coefficient the optimum does not have
  BlockPoint x = f.point(start);
  const double before = block_objective(ElasticNet(l1, 0.0, false), x);
  SupportNewton newton(f.pr.p);
  const NewtonOutcome outcome = newton.step(ElasticNet(l1, 0.0, false), f.block, x, 0);
  CHECK(outcome != NewtonOutcome::Failed);
  CHECK(block_objective(ElasticNet(l1, 0.0, false), x) <= before);
  for (int j = 0; j < f.pr.p; ++j)  // no coefficient changed sign
    CHECK(x.w[j] * start[j] >= 0.0);
}

TEST_CASE("entering features join with their gradient's sign") {
  Fixture f(testing::make_problem(80, 20, 0.5, 6));
  const double l1_high = 0.08, l1_low = 0.04;
  const auto high = f.solution(l1_high, 0.0), low = f.solution(l1_low, 0.0);
  int entering = 0;
  for (int j = 0; j < f.pr.p; ++j) entering += high[j] == 0.0 && low[j] != 0.0;
  REQUIRE(entering > 0);
  BlockPoint x = f.point(high);
  SupportNewton newton(f.pr.p);
  const ElasticNet pen(l1_low, 0.0, false);
  const double gap_before = block_gap(pen, x, f.pr.c);
  newton.step(pen, f.block, x, static_cast<std::size_t>(entering));
  CHECK(block_gap(pen, x, f.pr.c) < 0.1 * gap_before);
}

TEST_CASE("the multi-task step converges on the support") {
  auto pr = testing::make_problem(80, 15, 0.4, 7, 3);
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  const double alpha = 0.1;
  PathOptions opt;
  opt.tol = 1e-15;
  const auto exact = testing::solve_path(gram, pr.b, 3, pr.c, {alpha}, opt).coefs;
  Fixture f(pr);
  BlockPoint x;
  x.m = pr.p;
  x.n_tasks = 3;
  x.w.assign(exact.begin(), exact.end());  // p x 3, as the path returns it (one alpha)
  for (double& v : x.w) v *= 0.95;
  x.q = testing::gradient(pr, x.w, 3);
  x.b = pr.b;
  const GroupL21 pen(alpha, 0.0, 3);
  const double gap_before = block_gap(pen, x, pr.c);
  GroupNewton newton(pr.p);
  for (int step = 0; step < 3; ++step) newton.step(pen, f.block, x, 0);
  CHECK(block_gap(pen, x, pr.c) < 1e-6 * gap_before);
}

// The Woodbury solve against a dense LAPACK solve with the whole (s T)-square Jacobian, on a
// tall problem and on a wide one whose support outnumbers the samples (G_SS singular).
TEST_CASE("the multi-task step is the dense Newton step") {
  const int nt = 3;
  for (const auto& [n, p, l1, l2] : {std::tuple{80, 15, 0.05, 0.02}, {12, 30, 0.01, 0.05}}) {
    CAPTURE(n);
    auto pr = testing::make_problem(n, p, 0.4, 11, nt);
    PathOptions opt;
    opt.tol = 1e-15;
    opt.l1_ratio = l1 / (l1 + l2);
    FullGram gram(pr.gram.data(), pr.p, 1.0);
    const auto exact = testing::solve_path(gram, pr.b, nt, pr.c, {l1 + l2}, opt).coefs;
    Fixture f(pr);
    BlockPoint x;
    x.m = p;
    x.n_tasks = nt;
    x.w.assign(exact.begin(), exact.end());
    for (std::size_t e = 0; e < x.w.size(); ++e) x.w[e] *= 0.9 + 0.01 * double(e % 7);
    x.q = testing::gradient(pr, x.w, nt);
    x.b = pr.b;
    std::vector<int> S;
    for (int j = 0; j < p; ++j)
      if (x.row_nonzero(j)) S.push_back(j);
    const int s = static_cast<int>(S.size()), dim = s * nt, one = 1;
    if (n < p) CHECK(s > n);
    // J (d_a,t ordered row-major over (a, t)) and -F.
    std::vector<double> jac(std::size_t(dim) * dim, 0.0), rhs(dim);
    for (int a = 0; a < s; ++a) {
      double norm = 0;
      for (int t = 0; t < nt; ++t) norm += x.w[x.at(S[a], t)] * x.w[x.at(S[a], t)];
      norm = std::sqrt(norm);
      for (int t = 0; t < nt; ++t) {
        const double ut = x.w[x.at(S[a], t)] / norm;
        for (int b = 0; b < s; ++b)
          jac[std::size_t(b * nt + t) * dim + a * nt + t] = pr.gram[std::size_t(S[b]) * p + S[a]];
        for (int t2 = 0; t2 < nt; ++t2)
          jac[std::size_t(a * nt + t2) * dim + a * nt + t] +=
              l1 / norm * ((t == t2) - ut * x.w[x.at(S[a], t2)] / norm);
        jac[std::size_t(a * nt + t) * dim + a * nt + t] += l2;
        rhs[a * nt + t] = x.q[x.at(S[a], t)] - l2 * x.w[x.at(S[a], t)] - l1 * ut;
      }
    }
    int info = 0;
    dposv_("L", &dim, &one, jac.data(), &dim, rhs.data(), &dim, &info);
    REQUIRE(info == 0);
    const std::vector<double> before = x.w;
    GroupNewton newton(p);
    REQUIRE(newton.step(GroupL21(l1, l2, nt), f.block, x, 0) == NewtonOutcome::Full);
    double worst = 0, largest = 0;
    for (int a = 0; a < s; ++a)
      for (int t = 0; t < nt; ++t) {
        const double d = x.w[x.at(S[a], t)] - before[x.at(S[a], t)];
        worst = std::max(worst, std::abs(d - rhs[a * nt + t]));
        largest = std::max(largest, std::abs(rhs[a * nt + t]));
      }
    CHECK(largest > 0);
    CHECK(worst <= 1e-9 * largest);  // both ~ cond(J) eps: J is well conditioned here
  }
}

// A row that is zero at the solution, started slightly off zero: the Newton model (linear in
// the row's norm) steps it through zero, and the step sets it to zero instead of backtracking.
TEST_CASE("a multi-task row whose step passes through zero is set to zero") {
  const int nt = 3, n = 80, p = 15;
  auto pr = testing::make_problem(n, p, 0.4, 7, nt);
  const double alpha = 0.3;
  PathOptions opt;
  opt.tol = 1e-15;
  FullGram gram(pr.gram.data(), pr.p, 1.0);
  const auto exact = testing::solve_path(gram, pr.b, nt, pr.c, {alpha}, opt).coefs;
  Fixture f(pr);
  BlockPoint x;
  x.m = p;
  x.n_tasks = nt;
  x.w.assign(exact.begin(), exact.end());
  int zero_row = -1, nonzero = 0;
  for (int j = 0; j < p; ++j) {
    if (x.row_nonzero(j)) ++nonzero;
    else if (zero_row < 0) zero_row = j;
  }
  REQUIRE(zero_row >= 0);
  REQUIRE(nonzero > 0);
  for (int t = 0; t < nt; ++t) x.w[x.at(zero_row, t)] = 1e-4 * (t + 1);
  x.q = testing::gradient(pr, x.w, nt);
  x.b = pr.b;
  const GroupL21 pen(alpha, 0.0, nt);
  const double before = block_objective(pen, x);
  GroupNewton newton(p);
  CHECK(newton.step(pen, f.block, x, 0) == NewtonOutcome::Full);
  CHECK_FALSE(x.row_nonzero(zero_row));
  CHECK(block_objective(pen, x) < before);
  double worst = 0;
  for (std::size_t e = 0; e < x.w.size(); ++e) worst = std::max(worst, std::abs(x.w[e] - exact[e]));
  CHECK(worst < 1e-8);  // back on the solution: the other rows' step is exact to first order
}
