// The path's gradient q = b - G w for all features (p x n_tasks), with a bound per feature on
// its error: exact (bound 0) on the working set and wherever the bound reaches the threshold
// at which an entry could decide anything (l1: a KKT violation, the dual norm's excess over
// l1); elsewhere it may come from a source's cheaper pass (one target only). The gap and the
// KKT checks read magnitudes plus bounds, so they stay exact where it matters.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "shrinkage/gram_source.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

class Gradient {
 public:
  static constexpr double kAllExact = -std::numeric_limits<double>::infinity();

  // coordinates (length p, or null): the features' penalty terms, whose l1 weight scales the
  // threshold at which an entry decides anything.
  Gradient(GramSource& gram, SourceScratch& scratch, const std::vector<double>& b, int n_tasks,
           const Coordinate* coordinates = nullptr)
      : gram_(gram), scratch_(scratch), b_(b), n_tasks_(n_tasks), coordinates_(coordinates),
        q_(b),
        bound_(static_cast<std::size_t>(gram.n_features()), 0.0) {}

  const double* q() const { return q_.data(); }
  const double* bound() const { return bound_.data(); }
  // Whether some entries are only bounded (else every bound is 0).
  bool bounded() const { return bounded_; }

  // From scratch for w (no drift of incremental updates), using only the columns of w's
  // support; exact on `exact_set` and where the bound reaches `threshold`. kAllExact, or a
  // source without a cheaper pass, makes every entry exact.
  void recompute(const std::vector<double>& w, const std::vector<int>& exact_set,
                 double threshold) {
    const int p = gram_.n_features();
    support_.clear();
    for (int j = 0; j < p; ++j)
      for (int t = 0; t < n_tasks_; ++t)
        if (w[static_cast<std::size_t>(t) * p + j] != 0.0) {
          support_.push_back(j);
          break;
        }
    bounded_ = n_tasks_ == 1 && std::isfinite(threshold) &&
               gram_.bounded_gradient(b_.data(), w.data(), support_, exact_set, q_.data(),
                                      bound_.data(), scratch_);
    if (bounded_) {
      make_exact_reaching(threshold);
      return;
    }
    gram_.gradient(b_.data(), w.data(), n_tasks_, support_, q_.data(), scratch_);
    std::fill(bound_.begin(), bound_.end(), 0.0);
  }

  // Takes q as given, exact (known to the caller for the current w).
  void assign(const double* q) {
    std::copy(q, q + q_.size(), q_.begin());
    std::fill(bound_.begin(), bound_.end(), 0.0);
    bounded_ = false;
  }

  // Makes exact the entries whose bound reaches `threshold`.
  void make_exact_reaching(double threshold) {
    if (!bounded_) return;
    const Coordinate* k = coordinates_;
    if (k != nullptr)
      bound_reaches([&](int j) { return threshold * k[j].a; }, q_.data(), bound_.data(),
                    gram_.n_features(), pending_);
    else
      bound_reaches([&](int) { return threshold; }, q_.data(), bound_.data(), gram_.n_features(),
                    pending_);
    gram_.make_exact(b_.data(), pending_, q_.data(), bound_.data(), scratch_);
  }

  // Makes exact the given features' entries.
  void make_exact(const std::vector<int>& features) {
    if (!bounded_) return;
    pending_.clear();
    for (int j : features)
      if (bound_[j] > 0.0) pending_.push_back(j);
    gram_.make_exact(b_.data(), pending_, q_.data(), bound_.data(), scratch_);
  }

 private:
  GramSource& gram_;
  SourceScratch& scratch_;
  const std::vector<double>& b_;
  const int n_tasks_;
  const Coordinate* coordinates_;
  std::vector<double> q_, bound_;
  bool bounded_ = false;
  std::vector<int> support_;  // w's non-zero features, for the source's products
  std::vector<int> pending_;  // the entries being made exact
};

}  // namespace shrinkage
