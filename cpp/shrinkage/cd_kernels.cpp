#include "shrinkage/cd_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "shrinkage/dispatch.hpp"

namespace shrinkage {

namespace {
inline double soft_threshold(double z, double t) {
  return z > t ? z - t : (z < -t ? z + t : 0.0);
}
inline int sign(double v) { return (v > 0) - (v < 0); }
}  // namespace

SHRINKAGE_MULTIVERSION
void axpy_sub(int n, double a, const double* __restrict x, double* __restrict y) {
  for (int i = 0; i < n; ++i) y[i] -= a * x[i];
}

// Eight independent partial sums: each is one lane of the clones' vector registers (summing
// into one scalar is a serial chain the compiler may not reorder).
SHRINKAGE_MULTIVERSION
double dot(int n, const double* __restrict x, const double* __restrict y) {
  constexpr int kLanes = 8;
  double partial[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) partial[k] += x[i + k] * y[i + k];
  for (; i < n; ++i) partial[0] += x[i] * y[i];
  double s = 0.0;
  for (double v : partial) s += v;
  return s;
}

SHRINKAGE_MULTIVERSION
EpochResult cd_epoch(int m, const double* H, int ldh, double* __restrict w,
                     double* __restrict q, const int* order, double l1, double l2, bool positive) {
  EpochResult r;
  const std::size_t ld = static_cast<std::size_t>(ldh);
  for (int i = 0; i < m; ++i) {
    const int k = order[i];
    const double* __restrict hk = H + k * ld;
    const double old = w[k];
    const double z = q[k] + hk[k] * old;
    double fresh = soft_threshold(z, l1) / (hk[k] + l2);
    if (positive && fresh < 0.0) fresh = 0.0;
    if (!(hk[k] + l2 > 0.0)) fresh = 0.0;  // zero column, no ridge: the coefficient stays 0
    const double delta = fresh - old;
    if (delta != 0.0) {
      r.support_changed |= sign(fresh) != sign(old);
      ++r.n_changed;
      w[k] = fresh;
      for (int t = 0; t < m; ++t) q[t] -= delta * hk[t];
    }
  }
  return r;
}

SHRINKAGE_MULTIVERSION
EpochResult cd_epoch_box(int m, const double* H, int ldh, double* __restrict w,
                         double* __restrict q, const int* order, double l1, double l2,
                         const Coordinate* coords) {
  EpochResult r;
  const std::size_t ld = static_cast<std::size_t>(ldh);
  for (int i = 0; i < m; ++i) {
    const int k = order[i];
    const Coordinate& c = coords[k];
    const double* __restrict hk = H + k * ld;
    const double old = w[k];
    const double denom = hk[k] + l2 * c.e;
    const double z = q[k] + hk[k] * old;
    // A zero column without ridge leaves the coefficient at 0 (inside every box).
    const double fresh =
        denom > 0.0 ? std::clamp(soft_threshold(z, l1 * c.a) / denom, c.lo, c.hi) : 0.0;
    const double delta = fresh - old;
    if (delta != 0.0) {
      r.support_changed |= sign(fresh) != sign(old) || c.at_bound(fresh) != c.at_bound(old);
      ++r.n_changed;
      w[k] = fresh;
      for (int t = 0; t < m; ++t) q[t] -= delta * hk[t];
    }
  }
  return r;
}

SHRINKAGE_MULTIVERSION
EpochResult cd_epoch_group(int m, int n_tasks, const double* H, int ldh,
                           double* __restrict w, double* __restrict q, const int* order,
                           double l1, double l2) {
  EpochResult r;
  const std::size_t ld = static_cast<std::size_t>(ldh);
  const std::size_t mt = static_cast<std::size_t>(m);  // w and q: m x n_tasks, leading dim m
  std::vector<double> z(static_cast<std::size_t>(n_tasks));
  for (int i = 0; i < m; ++i) {
    const int k = order[i];
    const double* __restrict hk = H + k * ld;
    double norm2 = 0.0, old_norm2 = 0.0;
    for (int t = 0; t < n_tasks; ++t) {
      const double wk = w[k + t * mt];
      z[t] = q[k + t * mt] + hk[k] * wk;
      norm2 += z[t] * z[t];
      old_norm2 += wk * wk;
    }
    const double norm = std::sqrt(norm2);
    const double denom = hk[k] + l2;
    const double shrink = (norm > l1 && denom > 0.0) ? (1.0 - l1 / norm) / denom : 0.0;
    r.support_changed |= (shrink > 0.0) != (old_norm2 > 0.0);
    for (int t = 0; t < n_tasks; ++t) {
      double* __restrict wt = w + t * mt;
      double* __restrict qt = q + t * mt;
      const double fresh = shrink * z[t];
      const double delta = fresh - wt[k];
      if (delta != 0.0) {
        r.n_changed += t == 0;
        wt[k] = fresh;
        for (int s = 0; s < m; ++s) qt[s] -= delta * hk[s];
      }
    }
  }
  return r;
}

}  // namespace shrinkage
