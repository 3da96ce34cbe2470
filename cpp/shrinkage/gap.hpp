// The duality gap, for the whole problem or a working set, and gap-safe screening: functions
// of the statistics (b, c, the Gram diagonal), the point (w, q = b - G w) and the penalty.
//
// Normalised problem: P(w) = 1/2 w^T G w - b^T w + c/2 + penalty(w). The dual point is the
// residual scaled to be feasible toward unbounded sides (formulation A), bounded sides adding
// their finite conjugate; without an l1 term, the ridge dual (formulation B); as in
// scikit-learn when no feature has its own terms. Free features (unpenalised, unbounded: see
// free_features.hpp) are projected out of the residual first.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "shrinkage/block.hpp"
#include "shrinkage/free_features.hpp"

namespace shrinkage {

// Everything the duality gap needs, accumulated over a set of features.
struct GapTerms {
  double wb = 0, wq = 0, l1norm = 0, l2sq = 0, dual_norm = 0, qsq = 0;
  double ridge_conjugate = 0;  // formulation B's conjugate terms
  double bound_conjugate = 0;  // formulation A's bounded sides, at the scaled dual point
};

inline double dual_scale(double dual_norm, double l1) {
  return dual_norm > l1 ? l1 / dual_norm : 1.0;
}

inline double duality_gap(const GapTerms& g, double c, double l1, double l2, const Shift& shift) {
  const double r2 = c - g.wb - g.wq;  // ||y - Xw||^2 / n
  const double penalty = l1 * g.l1norm + 0.5 * l2 * g.l2sq;
  const double yr = c - g.wb - shift.wb;  // y^T r / n at the shifted point
  if (l1 > 0) {
    const double s = dual_scale(g.dual_norm, l1);
    const double dual = -0.5 * s * s * (r2 - shift.spread + l2 * g.l2sq) + s * yr - g.bound_conjugate;
    return 0.5 * r2 + penalty - dual;
  }
  if (l2 > 0) return r2 - 0.5 * shift.spread + penalty - yr + g.ridge_conjugate;
  return g.qsq;
}

struct Gap {
  double value;      // the gap of the normalised problem
  double dual_norm;  // max_j of the dual magnitudes, which scales the dual point
};

// The gap of `rows` coefficient rows read through `rows`: coordinate(i), w(i, t), q(i, t),
// b(i, t), bound(i) (q's error bound, the free shift's spread included) and free(i).
template <class Penalty, class Rows>
Gap gap_of(const Penalty& pen, int count, const Rows& rows, double c, const Shift& shift) {
  GapTerms g;
  const double l1 = pen.l1(), l2 = pen.l2();
  const int n_tasks = pen.n_tasks();
  for (int i = 0; i < count; ++i) {
    const Coordinate k = rows.coordinate(i);
    const double beta = rows.bound(i);
    for (int t = 0; t < n_tasks; ++t) {
      const double wi = rows.w(i, t), qi = rows.q(i, t);
      g.wb += wi * rows.b(i, t);
      g.wq += wi * qi;
      g.l2sq += k.e * wi * wi;
      g.qsq += qi * qi;
      if (l1 == 0 && l2 > 0 && !rows.free(i))
        g.ridge_conjugate += beta == 0 ? pen.ridge_conjugate(k, qi)
                                       : std::max(pen.ridge_conjugate(k, qi + beta),
                                                  pen.ridge_conjugate(k, qi - beta));
    }
    g.l1norm += pen.coef_norm(k, [&](int t) { return rows.w(i, t); });
    if (!rows.free(i)) {  // the largest over q's error interval (its ends, by convexity)
      const auto at = [&](double shift) {
        return pen.dual_magnitude(k, [&](int t) {
          return rows.q(i, t) + shift - l2 * k.e * rows.w(i, t);
        });
      };
      g.dual_norm = std::max(g.dual_norm, beta == 0 ? at(0.0) : std::max(at(beta), at(-beta)));
    }
  }
  if (l1 > 0 && pen.has_finite_bounds()) {
    const double s = dual_scale(g.dual_norm, l1);
    for (int i = 0; i < count; ++i) {
      if (rows.free(i)) continue;
      const Coordinate k = rows.coordinate(i);
      const double v = rows.q(i, 0) - l2 * k.e * rows.w(i, 0), beta = rows.bound(i);
      g.bound_conjugate += pen.bound_conjugate(k, s * (v + beta), s * (v - beta));
    }
  }
  return {duality_gap(g, c, l1, l2, shift), g.dual_norm};
}

// The whole problem's point: w, q and b are p x n_tasks, column-major; q_j is exact to within
// bound[j] (0 where exact), so magnitudes computed from it are upper bounds. With unpenalised
// features (free_features.hpp): their projection after its shift, and each feature's place
// among them (or -1).
struct PointView {
  int p, n_tasks;
  const double* w;
  const double* q;
  const double* b;
  const double* bound;
  const FreeFeatures* free_features = nullptr;
  const int* free_slot = nullptr;

  std::size_t at(int j, int t) const { return static_cast<std::size_t>(t) * p + j; }
  bool nonzero(int j) const {
    for (int t = 0; t < n_tasks; ++t)
      if (w[at(j, t)] != 0.0) return true;
    return false;
  }
  int slot(int j) const { return free_slot != nullptr ? free_slot[j] : -1; }
  // Projected out of the dual point: its correlation there is zero.
  bool is_free(int j) const { return slot(j) >= 0 && free_features->projected(slot(j)); }
  // q at the dual point's shifted residual, for the rows the gap reads (the others' move is
  // in their bound).
  double shifted_q(int j, int t) const {
    return slot(j) >= 0 ? free_features->moved_q(slot(j)) : q[at(j, t)];
  }
  // An upper bound of how far q_j - l2 e_j w_j pushes w_j (per unit of l1 weight) toward a
  // side it may move to (its value where q_j is exact).
  template <class Penalty>
  double gradient_magnitude(const Penalty& pen, int j, double l2) const {
    const Coordinate& k = pen.coordinate(j);
    const auto at_shift = [&](double shift) {
      return pen.magnitude(k, [&](int t) { return q[at(j, t)] + shift - l2 * k.e * w[at(j, t)]; });
    };
    const double beta = bound[j];
    return beta == 0 ? at_shift(0.0) : std::max(at_shift(beta), at_shift(-beta));
  }
};

template <class Penalty>
Gap full_gap(const Penalty& pen, const PointView& x, double c, const Shift& shift = {}) {
  struct Rows {
    const Penalty& pen;
    const PointView& x;
    Coordinate coordinate(int j) const { return pen.coordinate(j); }
    double w(int j, int t) const { return x.w[x.at(j, t)]; }
    double q(int j, int t) const { return x.shifted_q(j, t); }
    double b(int j, int t) const { return x.b[x.at(j, t)]; }
    double bound(int j) const { return x.bound[j]; }
    bool free(int j) const { return x.is_free(j); }
  };
  return gap_of(pen, x.p, Rows{pen, x}, c, shift);
}

// The gap of the problem restricted to the working set (its free rows, if any, projected out).
template <class Penalty>
double block_gap(const Penalty& pen, const BlockPoint& x, double c) {
  struct Rows {
    const Penalty& pen;
    const BlockPoint& x;
    double spread;
    Coordinate coordinate(int i) const { return pen.coordinate(x, i); }
    double w(int i, int t) const { return x.w[x.at(i, t)]; }
    int slot(int i) const { return x.free_slot.empty() ? -1 : x.free_slot[i]; }
    double q(int i, int t) const {
      return slot(i) >= 0 ? x.free_features->moved_q(slot(i)) : x.q[x.at(i, t)];
    }
    double b(int i, int t) const { return x.b[x.at(i, t)]; }
    double bound(int i) const {
      return spread > 0 && slot(i) < 0 ? std::sqrt(x.diag[i] * spread) : 0.0;
    }
    bool free(int i) const { return slot(i) >= 0 && x.free_features->projected(slot(i)); }
  };
  const Shift shift = x.free_features != nullptr ? x.free_features->shift_of_block(x) : Shift{};
  if (!shift.valid) return std::numeric_limits<double>::infinity();
  return gap_of(pen, x.m, Rows{pen, x, shift.spread}, c, shift).value;
}

// The objective on the working set up to the constant c/2: -1/2 <w, b + q> + penalty.
template <class Penalty>
double block_objective(const Penalty& pen, const BlockPoint& x) {
  double smooth = 0, l1norm = 0, l2sq = 0;
  for (int t = 0; t < x.n_tasks; ++t)
    for (int i = 0; i < x.m; ++i) {
      const std::size_t a = x.at(i, t);
      smooth -= 0.5 * x.w[a] * (x.b[a] + x.q[a]);
      l2sq += pen.coordinate(x, i).e * x.w[a] * x.w[a];
    }
  for (int i = 0; i < x.m; ++i)
    l1norm += pen.coef_norm(pen.coordinate(x, i), [&](int t) { return x.w[x.at(i, t)]; });
  return smooth + pen.l1() * l1norm + 0.5 * pen.l2() * l2sq;
}

// Gap-safe rule (Fercoq, Gramfort & Salmon 2015) in the normalised units: feature j is zero at
// the optimum if 1 - |x_j^T theta| / (l1 a_j) > sqrt(2 gap (G_jj + l2 e_j)) / (l1 a_j), with
// theta the dual point of `gap` (|x_j^T theta| toward the sides w_j may move to). Marks such
// features in `screened` (diag: the scaled Gram diagonal) and returns the non-zero ones among
// them, which the caller must set to zero. Unpenalised features are never screened.
template <class Penalty>
void gap_safe_screen(const Penalty& pen, const PointView& x, const Gap& gap, const double* diag,
                     std::vector<char>& screened, std::vector<int>& zeroed) {
  zeroed.clear();
  const double l1 = pen.l1(), l2 = pen.l2();
  if (l1 <= 0 || !(gap.value > 0)) return;
  const double scale = std::max(l1, gap.dual_norm);
  const double radius = std::sqrt(2.0 * gap.value) / l1;
  for (int j = 0; j < x.p; ++j) {
    if (screened[j]) continue;
    const Coordinate& k = pen.coordinate(j);
    if (!(k.a > 0)) continue;
    const double u = x.gradient_magnitude(pen, j, l2) / scale;
    if (1.0 - u > radius * std::sqrt(diag[j] + l2 * k.e) / k.a) {
      screened[j] = 1;
      if (x.nonzero(j)) zeroed.push_back(j);
    }
  }
}

}  // namespace shrinkage
