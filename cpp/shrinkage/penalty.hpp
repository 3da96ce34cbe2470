// The penalties the path solver is written against, one type each, chosen at compile time:
//   ElasticNet: l1 a_j |w_j| + l2/2 e_j w_j^2 per feature, lo_j <= w_j <= hi_j, one target;
//   GroupL21:   l1 ||w_j||_2 + l2/2 ||w_j||^2 per feature row, n_tasks targets (the multi-task
//               problem of scikit-learn's enet_path with 2-D y).
// l1 = alpha rho and l2 = alpha (1 - rho); a_j, e_j (glmnet's penalty factors, or those times
// the column scales when standardising) and the bounds are a feature's Coordinate, 1, 1, -inf,
// +inf unless the path gives them (positive: lo_j = 0). A penalty owns what depends on its
// form: the coordinate update (the prox, as a sweep over a packed block), the magnitude of a
// gradient row toward where the coefficient may move (which decides KKT violations and
// screening), the part of it that must scale the dual point (toward unbounded sides only: a
// finite bound makes that side's conjugate finite), the conjugate terms of the bounded sides
// and of the ridge dual. Rows are read through a callable t -> entry, so one-target code has
// no loop over tasks.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

#include "shrinkage/block.hpp"
#include "shrinkage/cd_kernels.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

class ElasticNet {
 public:
  static constexpr bool kGrouped = false;
  ElasticNet(double l1, double l2, bool positive, const FeatureTerms& terms = {})
      : l1_(l1), l2_(l2), positive_(positive), terms_(terms), uniform_(!terms.any()) {
    plain_.lo = positive ? 0.0 : -kInf;
  }
  // The penalty of a path's options at one alpha.
  static ElasticNet at(double alpha, const PathOptions& opt, int /*n_tasks*/) {
    return {alpha * opt.l1_ratio, alpha - alpha * opt.l1_ratio, opt.positive, opt.features};
  }

  double l1() const { return l1_; }
  double l2() const { return l2_; }
  int n_tasks() const { return 1; }
  // Whether every feature has the same Coordinate (no weights, no bounds but positive).
  bool uniform() const { return uniform_; }
  bool has_finite_bounds() const { return terms_.finite_bounds; }

  const Coordinate& coordinate(int j) const { return uniform_ ? plain_ : terms_.coordinates[j]; }
  // Block row i's Coordinate (the block keeps them only when they differ between features).
  const Coordinate& coordinate(const BlockPoint& x, int i) const {
    return uniform_ ? plain_ : x.coords[i];
  }

  // How far the gradient g pushes w from zero toward a side it may move to, per unit of its
  // l1 weight (compared with l1; infinite for an unpenalised coordinate it pushes at all).
  template <class Row>
  double magnitude(const Coordinate& k, Row&& g) const {
    const double v = g(0);
    return per_weight(std::max({k.hi > 0 ? v : 0.0, k.lo < 0 ? -v : 0.0, 0.0}), k.a);
  }
  // The part of the magnitude toward unbounded sides: what the dual point must be scaled by.
  template <class Row>
  double dual_magnitude(const Coordinate& k, Row&& g) const {
    const double v = g(0);
    return per_weight(std::max({k.hi == kInf ? v : 0.0, k.lo == -kInf ? -v : 0.0, 0.0}), k.a);
  }
  // The conjugate of a coordinate's l1 term and box at the dual correlation u, bounded sides
  // only (u_up, u_down: the largest and smallest value u may have).
  double bound_conjugate(const Coordinate& k, double u_up, double u_down) const {
    double v = 0;
    if (k.hi < kInf) v += k.hi * std::max(u_up - l1_ * k.a, 0.0);
    if (k.lo > -kInf) v -= k.lo * std::max(-u_down - l1_ * k.a, 0.0);
    return v;
  }
  // sup over lo <= w <= hi of u w - l2/2 e w^2: the conjugate in the ridge dual (l1 = 0).
  double ridge_conjugate(const Coordinate& k, double u) const {
    const double curvature = l2_ * k.e;
    if (curvature > 0) {
      const double w = std::clamp(u / curvature, k.lo, k.hi);
      return u * w - 0.5 * curvature * w * w;
    }
    if (u == 0) return 0.0;
    return u > 0 ? u * k.hi : u * k.lo;  // +inf toward an unbounded side
  }
  template <class Row>
  double coef_norm(const Coordinate& k, Row&& w) const {
    return w(0) == 0.0 ? 0.0 : k.a * std::fabs(w(0));
  }
  // The coordinate's whole penalty l1 a |w| + l2/2 e w^2 (w inside its box).
  double value(const Coordinate& k, double w) const {
    return w == 0.0 ? 0.0 : l1_ * k.a * std::fabs(w) + 0.5 * l2_ * k.e * w * w;
  }
  // Its conjugate: sup over lo <= w <= hi of u w - value(w), +inf toward an unbounded side
  // that no curvature holds (the dual point of a datafit without a Gram, logistic.hpp).
  double conjugate(const Coordinate& k, double u) const {
    const double curvature = l2_ * k.e, excess = std::fabs(u) - l1_ * k.a;
    const double side = u > 0 ? k.hi : -k.lo;  // how far w may go toward u's sign
    if (!(excess > 0) || side == 0.0) return 0.0;
    const double w = curvature > 0 ? std::min(excess / curvature, side) : side;
    return w == kInf ? kInf : excess * w - 0.5 * curvature * w * w;
  }
  // Without an l1 term and without bounds the whole working set is the support.
  bool is_smooth() const { return l1_ == 0.0 && !positive_ && !has_finite_bounds(); }
  // Whether a block's coefficients lie in their boxes (an extrapolated point must).
  bool in_box(const BlockPoint& x) const {
    if (uniform_ && !positive_) return true;
    for (int i = 0; i < x.m; ++i) {
      const Coordinate& k = coordinate(x, i);
      if (!(x.w[i] >= k.lo && x.w[i] <= k.hi)) return false;
    }
    return true;
  }
  // One sweep of coordinate updates over a packed block (w, q: m entries; coords: the rows'
  // Coordinates, needed unless uniform).
  EpochResult sweep(int m, const double* H, int ld, double* w, double* q, const int* order,
                    const Coordinate* coords = nullptr) const {
    if (uniform_) return cd_epoch(m, H, ld, w, q, order, l1_, l2_, positive_);
    return cd_epoch_box(m, H, ld, w, q, order, l1_, l2_, coords);
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static double per_weight(double push, double a) { return push == 0.0 ? 0.0 : push / a; }

  double l1_, l2_;
  bool positive_;
  FeatureTerms terms_;
  bool uniform_;
  Coordinate plain_;
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
  int n_tasks() const { return n_tasks_; }
  bool uniform() const { return true; }
  bool has_finite_bounds() const { return false; }
  Coordinate coordinate(int) const { return {}; }
  Coordinate coordinate(const BlockPoint&, int) const { return {}; }

  template <class Row>
  double magnitude(const Coordinate&, Row&& g) const {
    double s = 0;
    for (int t = 0; t < n_tasks_; ++t) s += g(t) * g(t);
    return std::sqrt(s);
  }
  template <class Row>
  double dual_magnitude(const Coordinate& k, Row&& g) const {
    return magnitude(k, g);
  }
  double bound_conjugate(const Coordinate&, double, double) const { return 0.0; }
  double ridge_conjugate(const Coordinate&, double u) const { return u * u / (2.0 * l2_); }
  template <class Row>
  double coef_norm(const Coordinate& k, Row&& w) const {
    return magnitude(k, w);
  }
  bool is_smooth() const { return l1_ == 0.0; }
  bool in_box(const BlockPoint&) const { return true; }
  // w, q: m x n_tasks, column-major.
  EpochResult sweep(int m, const double* H, int ld, double* w, double* q, const int* order,
                    const Coordinate* = nullptr) const {
    return cd_epoch_group(m, n_tasks_, H, ld, w, q, order, l1_, l2_);
  }

 private:
  double l1_, l2_;
  int n_tasks_;
};

}  // namespace shrinkage
