#include "shrinkage/free_features.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "shrinkage/cholesky.hpp"

namespace shrinkage {

namespace {
// Whether coordinate k rests on a finite bound that gradient v pushes it against.
bool rests_on_bound(const Coordinate& k, double w, double v) {
  return (std::isfinite(k.hi) && w == k.hi && v >= 0) ||
         (std::isfinite(k.lo) && w == k.lo && v <= 0);
}
}  // namespace

FreeFeatures::FreeFeatures(std::vector<int> features, std::vector<Coordinate> coordinates,
                           GramSource& gram)
    : features_(std::move(features)), coordinates_(std::move(coordinates)) {
  const int f = static_cast<int>(features_.size());
  if (f == 0) return;
  SourceScratch scratch;  // its own: the path's working-set columns stay as they are
  gram_.resize(static_cast<std::size_t>(f) * f);
  gram.fill_block(features_.data(), f, 0, gram_.data(), f, scratch);
  double max_diag = 0;
  for (int a = 0; a < f; ++a) {
    const double d = gram_[std::size_t(a) * f + a];
    if (!std::isfinite(d)) throw std::invalid_argument("the Gram diagonal is not finite");
    max_diag = std::max(max_diag, d);
  }
  if (!(max_diag > 0))
    throw std::invalid_argument(
        "the unpenalised features' columns are all zero: no least-squares fit of them");
  // A singular G_PP (collinear unpenalised columns) gets a tiny ridge throughout.
  projected_.assign(f, 1);
  if (!factor_projected()) {
    ridge_ = 1e-12 * max_diag;
    factored_.clear();
    if (!factor_projected()) throw std::invalid_argument("G of the unpenalised features");
  }
}

bool FreeFeatures::factor_projected() const {
  if (factored_ == projected_) return true;
  const int f = static_cast<int>(features_.size());
  members_.clear();
  for (int a = 0; a < f; ++a)
    if (projected_[a]) members_.push_back(a);
  const int s = static_cast<int>(members_.size());
  factor_.assign(static_cast<std::size_t>(s) * s, 0.0);
  for (int c = 0; c < s; ++c)
    for (int r = c; r < s; ++r)
      factor_[std::size_t(c) * s + r] = gram_[std::size_t(members_[c]) * f + members_[r]];
  for (int c = 0; c < s; ++c) factor_[std::size_t(c) * s + c] += ridge_;
  if (s > 0 && cholesky_factor(s, factor_.data(), s) >= 0) return false;
  factored_ = projected_;
  return true;
}

Shift FreeFeatures::shift(const double* w, const double* q, const double* b) const {
  const int f = static_cast<int>(features_.size());
  for (int a = 0; a < f; ++a) projected_[a] = !rests_on_bound(coordinates_[a], w[a], q[a]);
  Shift s;
  while (true) {
    factor_projected();  // a sub-block of a positive definite G_FF (+ ridge) factors
    const int m = static_cast<int>(members_.size());
    delta_.resize(m);
    for (int c = 0; c < m; ++c) delta_[c] = q[members_[c]];
    cholesky_solve(m, factor_.data(), m, delta_.data());
    // The correlations of those left out, at w + delta; one pushed off its bound toward the
    // unbounded side joins P and the solve repeats.
    moved_q_.assign(q, q + f);
    bool grew = false;
    for (int a = 0; a < f; ++a) {
      if (projected_[a]) continue;
      for (int c = 0; c < m; ++c) moved_q_[a] -= gram_[std::size_t(members_[c]) * f + a] * delta_[c];
      if (!rests_on_bound(coordinates_[a], w[a], moved_q_[a])) {
        projected_[a] = 1;
        grew = true;
      }
    }
    if (grew) continue;
    s = Shift{};
    for (int c = 0; c < m; ++c) {
      s.wb += delta_[c] * b[members_[c]];
      s.spread += delta_[c] * q[members_[c]];
    }
    s.spread = std::max(s.spread, 0.0);
    return s;
  }
}

Shift FreeFeatures::shift_of_block(const BlockPoint& x) const {
  const int f = static_cast<int>(features_.size());
  w_.assign(f, 0.0);
  q_.assign(f, 0.0);
  b_.assign(f, 0.0);
  int found = 0;
  for (int i = 0; i < x.m; ++i)
    if (x.free_slot[i] >= 0) {
      w_[x.free_slot[i]] = x.w[i];
      q_[x.free_slot[i]] = x.q[i];
      b_[x.free_slot[i]] = x.b[i];
      ++found;
    }
  if (found < f) {
    Shift none;
    none.valid = false;
    return none;
  }
  return shift(w_.data(), q_.data(), b_.data());
}

}  // namespace shrinkage
