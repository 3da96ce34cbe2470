#include "shrinkage/anderson.hpp"

#include <cmath>

namespace shrinkage {

void Anderson::record(const BlockPoint& x) {
  if (full()) {  // recycle the oldest buffers
    w_.push_back(std::move(w_.front()));
    q_.push_back(std::move(q_.front()));
    w_.pop_front();
    q_.pop_front();
    w_.back() = x.w;
    q_.back() = x.q;
    return;
  }
  w_.push_back(x.w);
  q_.push_back(x.q);
}

bool Anderson::combination(double (&weights)[kDepth]) const {
  const std::size_t len = w_.front().size();
  double gram[kDepth][kDepth];
  for (int i = 0; i < kDepth; ++i)
    for (int j = 0; j <= i; ++j) {
      double s = 0;
      for (std::size_t e = 0; e < len; ++e)
        s += (w_[i + 1][e] - w_[i][e]) * (w_[j + 1][e] - w_[j][e]);
      gram[i][j] = gram[j][i] = s;
    }
  double z[kDepth];
  if (!solve_small_spd(gram, z)) return false;
  double total = 0;
  for (double v : z) total += v;
  if (!(std::fabs(total) > 0)) return false;
  for (int i = 0; i < kDepth; ++i) weights[i] = z[i] / total;
  return true;
}

void Anderson::combine(const double (&weights)[kDepth], BlockPoint& x) const {
  const std::size_t len = x.w.size();
  std::fill(x.w.begin(), x.w.end(), 0.0);
  std::fill(x.q.begin(), x.q.end(), 0.0);
  for (int i = 0; i < kDepth; ++i)
    for (std::size_t e = 0; e < len; ++e) {
      x.w[e] += weights[i] * w_[i + 1][e];
      x.q[e] += weights[i] * q_[i + 1][e];
    }
}

bool solve_small_spd(double (&a)[Anderson::kDepth][Anderson::kDepth],
                     double (&z)[Anderson::kDepth]) {
  constexpr int k = Anderson::kDepth;
  double trace = 0;
  for (int i = 0; i < k; ++i) trace += a[i][i];
  if (!(trace > 0)) return false;
  for (int i = 0; i < k; ++i) a[i][i] += 1e-12 * trace;
  double l[k][k] = {};
  for (int j = 0; j < k; ++j) {
    double d = a[j][j];
    for (int c = 0; c < j; ++c) d -= l[j][c] * l[j][c];
    if (!(d > 0)) return false;
    l[j][j] = std::sqrt(d);
    for (int i = j + 1; i < k; ++i) {
      double s = a[i][j];
      for (int c = 0; c < j; ++c) s -= l[i][c] * l[j][c];
      l[i][j] = s / l[j][j];
    }
  }
  double y[k];
  for (int i = 0; i < k; ++i) {
    double s = 1.0;
    for (int c = 0; c < i; ++c) s -= l[i][c] * y[c];
    y[i] = s / l[i][i];
  }
  for (int i = k - 1; i >= 0; --i) {
    double s = y[i];
    for (int c = i + 1; c < k; ++c) s -= l[c][i] * z[c];
    z[i] = s / l[i][i];
  }
  return true;
}

}  // namespace shrinkage
