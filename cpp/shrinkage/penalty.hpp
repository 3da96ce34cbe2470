// The penalties the path solver is written against, one type each, chosen at compile time:
//   ElasticNet: l1 |w_j| + l2/2 w_j^2 per feature, one target (w_j >= 0 with `positive`);
//   GroupL21:   l1 ||w_j||_2 + l2/2 ||w_j||^2 per feature row, n_tasks targets (the multi-task
//               problem of scikit-learn's enet_path with 2-D y).
// l1 = alpha rho and l2 = alpha (1 - rho). A penalty owns what depends on its form: the
// coordinate update (the prox, as a sweep over a packed block), the magnitude of a gradient row
// in the dual norm (which decides KKT violations, the dual point's scaling and screening), the
// norm of a coefficient row and the conjugate term of the ridge dual. Rows are read through a
// callable t -> entry, so one-target code has no loop over tasks.
#pragma once

#include <cmath>

#include "shrinkage/cd_kernels.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

class ElasticNet {
 public:
  static constexpr bool kGrouped = false;
  ElasticNet(double l1, double l2, bool positive) : l1_(l1), l2_(l2), positive_(positive) {}
  // The penalty of a path's options at one alpha.
  static ElasticNet at(double alpha, const PathOptions& opt, int /*n_tasks*/) {
    return {alpha * opt.l1_ratio, alpha - alpha * opt.l1_ratio, opt.positive};
  }

  double l1() const { return l1_; }
  double l2() const { return l2_; }
  bool positive() const { return positive_; }
  int n_tasks() const { return 1; }

  // |g| of a gradient row; with w >= 0 only its positive part can violate optimality, so g.
  template <class Row>
  double magnitude(Row&& g) const {
    return positive_ ? g(0) : std::fabs(g(0));
  }
  template <class Row>
  double coef_norm(Row&& w) const {
    return std::fabs(w(0));
  }
  // q_j^2 in the ridge dual ||X^T r||^2 / (2 l2); with w >= 0 the conjugate of the penalty only
  // sees the positive part.
  double ridge_dual_term(double q) const {
    const double v = positive_ ? (q > 0.0 ? q : 0.0) : q;
    return v * v;
  }
  // Whether a coefficient row may leave zero toward either sign (false when w >= 0).
  bool signed_coordinates() const { return l1_ > 0.0 || positive_; }
  // Without an l1 term and without bounds the whole working set is the support.
  bool is_smooth() const { return l1_ == 0.0 && !positive_; }
  // One sweep of coordinate updates over a packed block (w, q: m entries).
  EpochResult sweep(int m, const double* H, int ld, double* w, double* q, const int* order) const {
    return cd_epoch(m, H, ld, w, q, order, l1_, l2_, positive_);
  }

 private:
  double l1_, l2_;
  bool positive_;
};

class GroupL21 {
 public:
  static constexpr bool kGrouped = true;
  GroupL21(double l1, double l2, int n_tasks) : l1_(l1), l2_(l2), n_tasks_(n_tasks) {}
  static GroupL21 at(double alpha, const PathOptions& opt, int n_tasks) {
    return {alpha * opt.l1_ratio, alpha - alpha * opt.l1_ratio, n_tasks};
  }

  double l1() const { return l1_; }
  double l2() const { return l2_; }
  bool positive() const { return false; }
  int n_tasks() const { return n_tasks_; }

  template <class Row>
  double magnitude(Row&& g) const {
    double s = 0;
    for (int t = 0; t < n_tasks_; ++t) s += g(t) * g(t);
    return std::sqrt(s);
  }
  template <class Row>
  double coef_norm(Row&& w) const {
    return magnitude(w);
  }
  double ridge_dual_term(double q) const { return q * q; }
  bool is_smooth() const { return l1_ == 0.0; }
  // w, q: m x n_tasks, column-major.
  EpochResult sweep(int m, const double* H, int ld, double* w, double* q, const int* order) const {
    return cd_epoch_group(m, n_tasks_, H, ld, w, q, order, l1_, l2_);
  }

 private:
  double l1_, l2_;
  int n_tasks_;
};

}  // namespace shrinkage
