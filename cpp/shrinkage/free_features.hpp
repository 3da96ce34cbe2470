// Unpenalised features (penalty factor 0) with an unbounded side: at an optimum their gradient
// is zero unless they rest on a finite bound, so a feasible dual point must be orthogonal to
// the columns of those that do not, P. The gap takes the residual of w + delta,
// delta = G_PP^{-1} q_P (the exact least-squares move of P given the rest), whose correlation
// with X_P is zero; an unpenalised feature resting on its bound keeps its correlation, moved
// exactly by G_jP delta (G of these features is held), and any other feature's correlation
// moves by G_jP delta, at most sqrt(G_jj delta^T q_P) (Cauchy-Schwarz), which the gap counts
// as an error bound of q_j. A feature whose moved correlation would push it off its bound
// toward the unbounded side is projected too.
#pragma once

#include <vector>

#include "shrinkage/block.hpp"
#include "shrinkage/gram_source.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

// How the projection changes the gap's terms: w^T b by wb, ||r||^2 / n by -spread, with
// spread = delta^T q_P >= 0 (the bound of the other correlations' move is sqrt(G_jj spread)).
struct Shift {
  double wb = 0, spread = 0;
  bool valid = true;  // false: some unpenalised feature is missing, so no feasible dual point
};

class FreeFeatures {
 public:
  // The features, their Coordinates and G of them (scaled, from the source).
  FreeFeatures(std::vector<int> features, std::vector<Coordinate> coordinates, GramSource& gram);

  bool empty() const { return features_.empty(); }
  const std::vector<int>& features() const { return features_; }
  // The shift for w, q and b of the features (in features()' order). Afterwards projected(a)
  // tells which are projected out and moved_q(a) is the others' correlation at w + delta.
  Shift shift(const double* w, const double* q, const double* b) const;
  // The shift of a block, valid if it holds every one of the features.
  Shift shift_of_block(const BlockPoint& x) const;
  bool projected(int a) const { return projected_[a] != 0; }
  double moved_q(int a) const { return moved_q_[a]; }

 private:
  bool factor_projected() const;

  std::vector<int> features_;
  std::vector<Coordinate> coordinates_;
  std::vector<double> gram_;  // G of the features (f x f)
  double ridge_ = 0;          // added to G_PP's diagonal if it is singular
  mutable std::vector<char> projected_, factored_;  // P, and the P factor_ was made for
  mutable std::vector<int> members_;                // P's positions among the features
  mutable std::vector<double> factor_, delta_, moved_q_, w_, q_, b_;
};

}  // namespace shrinkage
