// The binomial path against its optimality conditions computed here from X (the gradient
// X^T c (y - p) and the subgradient of the penalty), on dense and sparse X, with weights and
// an intercept, the lasso and the elastic net; and the logistic datafit's dual against the
// definition of the conjugate.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "problems.hpp"
#include "shrinkage/binomial_path.hpp"
#include "shrinkage/dense_design.hpp"
#include "shrinkage/logistic.hpp"
#include "shrinkage/sparse_design.hpp"

using namespace shrinkage;

namespace {

struct Binary {
  int n, p;
  std::vector<double> x, y, s;
  testing::Csc csc;
};

Binary make_binary(int n, int p, unsigned seed) {
  auto pr = testing::make_problem(n, p, 0.3, seed);
  Binary b{n, p, pr.x, std::vector<double>(n), std::vector<double>(n), {}};
  b.csc = testing::to_csc(b.x, n, p, 0.5, false);  // b.x loses the same entries
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    double eta = 0.3;
    for (int j = 0; j < 4; ++j) eta += (j % 2 ? -1.5 : 1.5) * b.x[std::size_t(j) * n + i];
    b.y[i] = u(rng) < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
    b.s[i] = 0.5 + u(rng);
  }
  return b;
}

// The largest violation of the optimality conditions at (w, beta) for l1, l2.
double kkt(const Binary& b, const std::vector<double>& w, double beta, double l1, double l2) {
  double total = 0;
  for (double v : b.s) total += v;
  std::vector<double> r(b.n);
  double worst = 0, sum = 0;
  for (int i = 0; i < b.n; ++i) {
    double eta = beta;
    for (int j = 0; j < b.p; ++j) eta += b.x[std::size_t(j) * b.n + i] * w[j];
    r[i] = b.s[i] / total * (b.y[i] - 1 / (1 + std::exp(-eta)));
    sum += r[i];
  }
  worst = std::fabs(sum);
  for (int j = 0; j < b.p; ++j) {
    double g = l2 * w[j];
    for (int i = 0; i < b.n; ++i) g -= b.x[std::size_t(j) * b.n + i] * r[i];
    const double v = w[j] > 0   ? std::fabs(g + l1)
                     : w[j] < 0 ? std::fabs(g - l1)
                                : std::max(std::fabs(g) - l1, 0.0);
    worst = std::max(worst, v);
  }
  return worst;
}

}  // namespace

TEST_CASE("the logistic dual at theta = t r is the conjugate's value") {
  // -c H(y - theta / c) is -sup_eta (-theta eta - c (softplus(eta) - y eta)); checked on a grid.
  const double y[] = {1.0, 0.0, 0.3}, c[] = {0.5, 0.3, 0.2}, eta[] = {0.4, -1.2, 2.0};
  const Logistic fit(y, c, nullptr, 3);
  double r[3];
  fit.residual(eta, r);
  for (double t : {1.0, 0.6}) {
    double expect = 0;
    for (int i = 0; i < 3; ++i) {
      const double theta = t * r[i];
      double sup = -1e300;
      for (double e = -30; e <= 30; e += 1e-3)
        sup = std::max(sup, -theta * e - c[i] * (Logistic::softplus(e) - y[i] * e));
      expect -= sup;
    }
    CHECK(fit.dual(r, t) == doctest::Approx(expect).epsilon(1e-6));
  }
}

TEST_CASE("binomial paths on dense and sparse X meet their optimality conditions") {
  const auto b = make_binary(150, 40, 21);
  for (double rho : {1.0, 0.4}) {
    DenseDesign<double> dense(b.x.data(), b.n, b.p, true, testing::sq_norms(b.x, b.n, b.p).data(),
                              1.0);
    SparseDesign sparse(b.csc.arrays(), {}, b.n, b.p, 0.01);  // any scale: reweighted anyway
    PathOptions opt;
    opt.l1_ratio = rho;
    opt.tol = 1e-12;
    std::vector<std::vector<double>> paths;
    for (Design* design : {static_cast<Design*>(&dense), static_cast<Design*>(&sparse)}) {
      const BinomialData data{*design, b.y.data(), b.s.data(), nullptr, true};
      const BinomialNull null = binomial_null(data);
      double top = 0;
      for (double u : null.correlations) top = std::max(top, std::fabs(u));
      std::vector<double> alphas(12);
      for (int k = 0; k < 12; ++k) alphas[k] = top / rho * std::pow(0.01, k / 11.0);
      std::vector<double> coefs(alphas.size() * b.p);
      const auto res = binomial_path(data, alphas.data(), 12, nullptr, 0.0, opt, {}, {},
                                     [&](int k, const double* w) {
                                       std::copy(w, w + b.p, coefs.begin() + k * b.p);
                                     });
      REQUIRE(res.n_done == 12);
      INFO("l1_ratio " << rho);
      for (int k = 0; k < 12; ++k) {
        CHECK(res.converged[k]);
        CHECK(res.gaps[k] <= opt.tol * res.tol_unit);
        const std::vector<double> w(coefs.begin() + k * b.p, coefs.begin() + (k + 1) * b.p);
        // At a gap of 1e-12, the gradient is within about sqrt(2 gap / curvature) of optimal.
        CHECK(kkt(b, w, res.intercepts[k], alphas[k] * rho, alphas[k] * (1 - rho)) < 1e-5);
      }
      CHECK(res.deviance_ratios.front() == doctest::Approx(0.0).epsilon(1e-12));
      CHECK(res.deviance_ratios.back() > 0.3);
      paths.push_back(coefs);
    }
    for (std::size_t e = 0; e < paths[0].size(); ++e)
      CHECK(paths[0][e] == doctest::Approx(paths[1][e]).epsilon(1e-5).scale(1.0));
  }
}
