#include "shrinkage/free_features.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include "shrinkage/cholesky.hpp"

namespace shrinkage {

FreeFeatures::FreeFeatures(std::vector<int> features, GramSource& gram)
    : features_(std::move(features)) {
  const int f = static_cast<int>(features_.size());
  if (f == 0) return;
  SourceScratch scratch;  // its own: the path's working-set columns stay as they are
  std::vector<double> gram_ff(static_cast<std::size_t>(f) * f);
  gram.fill_block(features_.data(), f, 0, gram_ff.data(), f, scratch);
  double max_diag = 0;
  for (int a = 0; a < f; ++a) max_diag = std::max(max_diag, gram_ff[std::size_t(a) * f + a]);
  for (const double ridge : {0.0, 1e-12 * max_diag}) {
    factor_ = gram_ff;
    for (int a = 0; a < f; ++a) factor_[std::size_t(a) * f + a] += ridge;
    if (cholesky_factor(f, factor_.data(), f) < 0) return;
  }
  throw std::invalid_argument(
      "the unpenalised features' columns are all zero or not finite: no least-squares fit");
}

Shift FreeFeatures::shift(const double* q_free, const double* b_free) const {
  const int f = static_cast<int>(features_.size());
  delta_.assign(q_free, q_free + f);
  cholesky_solve(f, factor_.data(), f, delta_.data());
  Shift s;
  for (int a = 0; a < f; ++a) {
    s.wb += delta_[a] * b_free[a];
    s.spread += delta_[a] * q_free[a];
  }
  s.spread = std::max(s.spread, 0.0);
  return s;
}

Shift FreeFeatures::shift_of_block(const BlockPoint& x) const {
  const int f = static_cast<int>(features_.size());
  q_.assign(f, 0.0);
  b_.assign(f, 0.0);
  int found = 0;
  for (int i = 0; i < x.m; ++i)
    if (x.free_slot[i] >= 0) {
      q_[x.free_slot[i]] = x.q[i];
      b_[x.free_slot[i]] = x.b[i];
      ++found;
    }
  if (found < f) {
    Shift none;
    none.valid = false;
    return none;
  }
  return shift(q_.data(), b_.data());
}

}  // namespace shrinkage
