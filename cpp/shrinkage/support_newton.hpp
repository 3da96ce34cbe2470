// Newton steps on the support of the working set's solution, which finish a stable support
// exactly (and, between alphas, predict the next solution) where CD converges slowly.
//
// SupportNewton (one target): with the signs fixed and the coefficients at a bound held there,
// the optimality conditions on the support S are linear,
// (G_SS + l2 E_S) d = q_S - l2 E_S w_S - l1 A_S sign_S (A, E: the features' l1 and l2 weights). Its Cholesky factor is kept between
// steps and alphas and follows S (rank-one deletions, block appends), so a step usually costs
// a few triangular solves. GroupNewton (several targets): the l2,1 conditions are smooth on
// the rows with w_j != 0; each step solves with their Jacobian through s x s factors taken
// afresh (a Kronecker product less a rank-s term, by Woodbury).
//
// Every step is kept only if the objective does not rise above its rounding error (not_worse).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "shrinkage/block.hpp"
#include "shrinkage/penalty.hpp"

namespace shrinkage {

enum class NewtonOutcome { Full, Partial, Failed };

// Near the solution the objective's decrease (about the squared gradient) drops below what
// double resolves while the gradient, which the duality gap certifies, still improves.
inline bool not_worse(double after, double before) {
  return after <= before + 1e-13 * (before < 0 ? -before : before);
}

class SupportNewton {
 public:
  explicit SupportNewton(int n_features)
      : factor_slot_(static_cast<std::size_t>(n_features), -1),
        support_position_(static_cast<std::size_t>(n_features), -1) {}

  // The cost of a step on a support of s features, in CD-epoch units (an epoch's axpy
  // multiply-adds, which stream the block from cache).
  double cost(const BlockView& block, const BlockPoint& x, int s) const;

  // A step from x; `entering` zero coordinates that violate their optimality condition most
  // join the support with the sign of their gradient.
  NewtonOutcome step(const ElasticNet& pen, const BlockView& block, BlockPoint& x,
                     std::size_t entering);

 private:
  void add_entering(const ElasticNet& pen, const BlockPoint& x, std::size_t count);
  bool solve_on_support(const ElasticNet& pen, const BlockView& block, const BlockPoint& x);
  void reserve_factor(int s);
  bool factor_from_scratch(const BlockView& block, double l2);
  void forget_factor();

  // The support S (block positions), the sign each coordinate is solved with (block-indexed)
  // and the step d on S.
  std::vector<int> support_, sign_;
  std::vector<Coordinate> coords_;  // the block rows' Coordinates, for the current step
  std::vector<double> step_;
  // The Cholesky factor of G_SS + (l2 + ridge) I (leading dimension factor_ld_) for the
  // features factor_features_, in that order (factor_slot_: feature -> its row, or -1), made
  // for factor_l2_ with a ridge factor_ridge_ (usually 0).
  std::vector<double> factor_;
  int factor_ld_ = 0;
  double factor_l2_ = -1, factor_ridge_ = 0;
  std::vector<int> factor_features_, factor_slot_;
  std::vector<int> support_position_;  // solve_on_support: feature -> its block position in S, or -1
  std::vector<int> reordered_;        // solve_on_support: S in the factor's order
  std::vector<double> rotation_;      // cholesky_delete's workspace
  std::vector<std::pair<double, int>> candidates_;  // add_entering's violators
  std::vector<double> saved_w_, saved_q_;
  double mean_solves_ = 4;  // solves per step, a running mean (for the cost model)
};

class GroupNewton {
 public:
  explicit GroupNewton(int /*n_features*/) {}
  double cost(const BlockView& block, const BlockPoint& x, int s) const;
  NewtonOutcome step(const GroupL21& pen, const BlockView& block, BlockPoint& x,
                     std::size_t entering);

 private:
  std::vector<int> support_;
  void apply_inverse(int s, int n_tasks, int count, double* v);
  bool try_step(const GroupL21& pen, const BlockView& block, BlockPoint& x, double length,
                double before, bool new_step);
  bool passes_through_zero(const BlockPoint& x, int s, int a) const;
  void step_to_zero(const BlockPoint& x, int s, int a);
  bool zero_crossing_rows(const BlockPoint& x, int s);
  void hold_crossing_rows(const BlockPoint& x, int s);

  // M's factor and C's (s x s; C only with an l1 term: woodbury_); the rows' norms and unit
  // rows (s x n_tasks, column-major); apply_inverse's U^T (M^{-1} (x) I) v and U times it;
  // the step (s x n_tasks) and H[:, S] times it (m x n_tasks).
  std::vector<double> factor_, capacitance_, norm_, unit_, along_, spread_, step_, q_change_;
  bool woodbury_ = false;
  // hold_crossing_rows: the rows held at zero (positions in S), the unconstrained step,
  // J^{-1}'s columns for the held entries, their (J^{-1})_ZZ and the multipliers.
  std::vector<int> held_;
  std::vector<double> free_step_, columns_, schur_, lambda_;
  std::vector<double> saved_w_, saved_q_;
};

template <class Penalty>
using NewtonFor = std::conditional_t<Penalty::kGrouped, GroupNewton, SupportNewton>;

}  // namespace shrinkage
