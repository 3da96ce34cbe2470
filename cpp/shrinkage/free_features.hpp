// Free features: unpenalised (penalty factor 0) and unbounded, so at every optimum their
// gradient is zero and a feasible dual point must be orthogonal to their columns X_F. The gap
// takes the residual of w + delta, delta = G_FF^{-1} q_F (the exact least-squares move of F
// given the rest), whose correlation with X_F is zero; any other feature's correlation moves
// by G_jF delta, at most sqrt(G_jj delta^T q_F) (Cauchy-Schwarz), which the gap counts as an
// error bound of q_j. G_FF is factorised once per path.
#pragma once

#include <vector>

#include "shrinkage/block.hpp"
#include "shrinkage/gram_source.hpp"

namespace shrinkage {

// How the projection changes the gap's terms: w^T b by wb, ||r||^2 / n by -spread, with
// spread = delta^T q_F >= 0 (the bound of the other correlations' move is sqrt(G_jj spread)).
struct Shift {
  double wb = 0, spread = 0;
  bool valid = true;  // false: some free feature is missing, so no feasible dual point
};

class FreeFeatures {
 public:
  // The features and G_FF (scaled, from the source; a tiny ridge if it is singular).
  FreeFeatures(std::vector<int> features, GramSource& gram);

  bool empty() const { return features_.empty(); }
  const std::vector<int>& features() const { return features_; }
  // The shift for q_F and b_F given in features()' order.
  Shift shift(const double* q_free, const double* b_free) const;
  // The shift of a block, valid if it holds every free feature.
  Shift shift_of_block(const BlockPoint& x) const;

 private:
  std::vector<int> features_;
  std::vector<double> factor_;  // the Cholesky factor of G_FF
  mutable std::vector<double> delta_, q_, b_;
};

}  // namespace shrinkage
