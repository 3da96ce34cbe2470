// The duality gap, for the whole problem or a working set, and gap-safe screening: functions
// of the statistics (b, c, the Gram diagonal), the point (w, q = b - G w) and the penalty.
//
// Normalised problem: P(w) = 1/2 w^T G w - b^T w + c/2 + penalty(w). The dual point is the
// residual scaled to be feasible (formulation A); without an l1 term, the ridge dual
// (formulation B); as in scikit-learn.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "shrinkage/block.hpp"

namespace shrinkage {

// Everything the duality gap needs, accumulated over a set of features.
struct GapTerms {
  double wb = 0, wq = 0, l1norm = 0, l2sq = 0, dual_norm = 0, qsq = 0;
};

inline double duality_gap(const GapTerms& g, double c, double l1, double l2) {
  const double r2 = c - g.wb - g.wq;  // ||y - Xw||^2 / n
  const double penalty = l1 * g.l1norm + 0.5 * l2 * g.l2sq;
  if (l1 > 0) {
    const double s = g.dual_norm > l1 ? l1 / g.dual_norm : 1.0;
    const double dual = -0.5 * s * s * (r2 + l2 * g.l2sq) + s * (c - g.wb);
    return 0.5 * r2 + penalty - dual;
  }
  if (l2 > 0) return r2 + penalty - (c - g.wb) + g.qsq / (2.0 * l2);
  return g.qsq;
}

// The whole problem's point: w, q and b are p x n_tasks, column-major; q_j is exact to within
// bound[j] (0 where exact), so magnitudes computed from it are upper bounds.
struct PointView {
  int p, n_tasks;
  const double* w;
  const double* q;
  const double* b;
  const double* bound;

  std::size_t at(int j, int t) const { return static_cast<std::size_t>(t) * p + j; }
  bool nonzero(int j) const {
    for (int t = 0; t < n_tasks; ++t)
      if (w[at(j, t)] != 0.0) return true;
    return false;
  }
  // An upper bound of the dual-norm magnitude of q_j - l2 w_j (its value where q_j is exact).
  template <class Penalty>
  double gradient_magnitude(const Penalty& pen, int j, double l2) const {
    return pen.magnitude([&](int t) { return q[at(j, t)] - l2 * w[at(j, t)]; }) + bound[j];
  }
};

struct Gap {
  double value;      // the gap of the normalised problem
  double dual_norm;  // max_j of the gradient magnitude, which scales the dual point
};

// The gap terms of `rows` coefficient rows; w(i, t), q(i, t), b(i, t) read the entries and
// magnitude(i) is row i's gradient magnitude in the dual norm. The penalty gives the number of
// tasks (a constant 1 for the elastic net, so its loop is a single pass).
template <class Penalty, class Entry, class Magnitude>
GapTerms gap_terms(const Penalty& pen, int rows, const Entry& w, const Entry& q, const Entry& b,
                   Magnitude&& magnitude) {
  GapTerms g;
  const int n_tasks = pen.n_tasks();
  for (int i = 0; i < rows; ++i) {
    for (int t = 0; t < n_tasks; ++t) {
      const double wi = w(i, t), qi = q(i, t);
      g.wb += wi * b(i, t);
      g.wq += wi * qi;
      g.l2sq += wi * wi;
      g.qsq += pen.ridge_dual_term(qi);
    }
    g.l1norm += pen.coef_norm([&](int t) { return w(i, t); });
    g.dual_norm = std::max(g.dual_norm, magnitude(i));
  }
  return g;
}

template <class Penalty>
Gap full_gap(const Penalty& pen, const PointView& x, double c) {
  const double l2 = pen.l2();
  const auto entry = [&x](const double* v) {
    return [&x, v](int j, int t) { return v[x.at(j, t)]; };
  };
  const GapTerms g = gap_terms(pen, x.p, entry(x.w), entry(x.q), entry(x.b),
                               [&](int j) { return x.gradient_magnitude(pen, j, l2); });
  return {duality_gap(g, c, pen.l1(), l2), g.dual_norm};
}

// The gap of the problem restricted to the working set.
template <class Penalty>
double block_gap(const Penalty& pen, const BlockPoint& x, double c) {
  const double l2 = pen.l2();
  const auto entry = [&x](const std::vector<double>& v) {
    return [&x, &v](int i, int t) { return v[x.at(i, t)]; };
  };
  const auto w = entry(x.w), q = entry(x.q);
  const GapTerms g = gap_terms(pen, x.m, w, q, entry(x.b), [&](int i) {
    return pen.magnitude([&](int t) { return q(i, t) - l2 * w(i, t); });
  });
  return duality_gap(g, c, pen.l1(), l2);
}

// The objective on the working set up to the constant c/2: -1/2 <w, b + q> + penalty.
template <class Penalty>
double block_objective(const Penalty& pen, const BlockPoint& x) {
  double smooth = 0, l1norm = 0, l2sq = 0;
  for (std::size_t a = 0; a < x.w.size(); ++a) {
    smooth -= 0.5 * x.w[a] * (x.b[a] + x.q[a]);
    l2sq += x.w[a] * x.w[a];
  }
  for (int i = 0; i < x.m; ++i) l1norm += pen.coef_norm([&](int t) { return x.w[x.at(i, t)]; });
  return smooth + pen.l1() * l1norm + 0.5 * pen.l2() * l2sq;
}

// Gap-safe rule (Fercoq, Gramfort & Salmon 2015) in the normalised units: feature j is zero at
// the optimum if 1 - |x_j^T theta| > sqrt(2 gap (G_jj + l2)) / l1, with theta the dual point
// of `gap`. Marks such features in `screened` (diag: the scaled Gram diagonal) and returns the
// non-zero ones among them, which the caller must set to zero.
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
    const double u = x.gradient_magnitude(pen, j, l2) / scale;
    if (1.0 - u > radius * std::sqrt(diag[j] + l2)) {
      screened[j] = 1;
      if (x.nonzero(j)) zeroed.push_back(j);
    }
  }
}

}  // namespace shrinkage
