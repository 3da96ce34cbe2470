// Anderson extrapolation (as in skglm) of the block solver's CD iterates: from the last
// kDepth + 1 iterates, the affine combination that minimises the norm of the combined
// successive differences. q is affine in w, so it extrapolates with the same weights.
#pragma once

#include <deque>
#include <vector>

#include "shrinkage/block.hpp"

namespace shrinkage {

class Anderson {
 public:
  static constexpr int kDepth = 5;

  void clear() {
    w_.clear();
    q_.clear();
  }
  // Records the current iterate, forgetting the oldest beyond kDepth + 1.
  void record(const BlockPoint& x);
  bool full() const { return static_cast<int>(w_.size()) == kDepth + 1; }

  // Replaces x by the extrapolation if it is feasible (feasible(x): inside the penalty's box)
  // and objective(x) decreases; returns whether it did.
  template <class Feasible, class Objective>
  bool extrapolate(BlockPoint& x, Feasible&& feasible, Objective&& objective) {
    double weights[kDepth];
    if (!full() || !combination(weights)) return false;
    const double before = objective(x);
    saved_w_ = x.w;
    saved_q_ = x.q;
    combine(weights, x);
    if (!feasible(x) || !(objective(x) < before)) {
      x.w.swap(saved_w_);
      x.q.swap(saved_q_);
      return false;
    }
    return true;
  }

 private:
  // The weights (summing to 1) of the iterates 1..kDepth; false if they are not defined.
  bool combination(double (&weights)[kDepth]) const;
  void combine(const double (&weights)[kDepth], BlockPoint& x) const;

  std::deque<std::vector<double>> w_, q_;
  std::vector<double> saved_w_, saved_q_;
};

// Solves A z = 1 for a small SPD matrix (Cholesky with a relative ridge against rank loss);
// false if A is not numerically positive definite.
bool solve_small_spd(double (&a)[Anderson::kDepth][Anderson::kDepth],
                     double (&z)[Anderson::kDepth]);

}  // namespace shrinkage
