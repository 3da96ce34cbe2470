// The logistic datafit of the binomial family, in sample space:
//     L(eta) = sum_i c_i (log(1 + e^eta_i) - y_i eta_i),   c_i = s_i / sum(s),
// for responses y_i in [0, 1] (classes or proportions) and sample weights s. What the path
// needs of it: its value, the residual r = c (y - sigmoid(eta)) (minus its gradient in eta),
// its curvature (the IRLS weights of the quadratic model), and its conjugate for the dual
// point theta = t r, t in [0, 1]:
//     D = -sum_i c_i H(y_i - theta_i / c_i) - sum_i theta_i o_i,
// H(mu) = mu log mu + (1 - mu) log(1 - mu)
// (o the offsets). y - t (y - p) lies between y and p, so every such point is feasible.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace shrinkage {

class Logistic {
 public:
  // y, c: n entries each (c >= 0 summing to 1); offsets: n entries or null. Read in place.
  Logistic(const double* y, const double* c, const double* offsets, int n)
      : y_(y), c_(c), offsets_(offsets), n_(n) {}

  int n_samples() const { return n_; }
  const double* y() const { return y_; }
  const double* c() const { return c_; }
  double offset(int i) const { return offsets_ ? offsets_[i] : 0.0; }

  // log(1 + e^x) without overflow.
  static double softplus(double x) {
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
  static double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
    const double e = std::exp(x);
    return e / (1.0 + e);
  }
  // mu log mu + (1 - mu) log(1 - mu), 0 at the ends.
  static double neg_entropy(double mu) {
    const auto xlogx = [](double v) { return v > 0 ? v * std::log(v) : 0.0; };
    return xlogx(mu) + xlogx(1.0 - mu);
  }

  double value(const double* eta) const {
    double v = 0;
    for (int i = 0; i < n_; ++i)
      if (c_[i] > 0) v += c_[i] * (softplus(eta[i]) - y_[i] * eta[i]);
    return v;
  }
  // The value of the saturated model (eta = logit(y)): 0 for classes.
  double saturated_value() const {
    double v = 0;
    for (int i = 0; i < n_; ++i) v -= c_[i] * neg_entropy(y_[i]);
    return v;
  }
  void residual(const double* eta, double* r) const {
    for (int i = 0; i < n_; ++i) r[i] = c_[i] * (y_[i] - sigmoid(eta[i]));
  }
  // c p (1 - p), with p held within [kMinProbability, 1 - kMinProbability], so that a fitted
  // probability at 0 or 1 leaves a usable quadratic model. Not glmnet's 1e-5: where all
  // probabilities are below it (a class weighted 1e7 times less), such a floor overstates
  // the curvature a hundredfold and each Newton step gains a few percent.
  double curvature(int i, double eta) const {
    const double p = std::clamp(sigmoid(eta), kMinProbability, 1.0 - kMinProbability);
    return c_[i] * p * (1.0 - p);
  }
  // The datafit's part of the dual objective at theta = t r (r from `residual`).
  double dual(const double* r, double t) const {
    double d = 0;
    for (int i = 0; i < n_; ++i) {
      if (!(c_[i] > 0)) continue;
      d -= c_[i] * neg_entropy(y_[i] - t * r[i] / c_[i]) + t * r[i] * offset(i);
    }
    return d;
  }

  static constexpr double kMinProbability = 1e-9;

 private:
  const double* y_;
  const double* c_;
  const double* offsets_;
  int n_;
};

}  // namespace shrinkage
