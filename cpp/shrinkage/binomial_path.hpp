// The binomial family's elastic-net path (logistic.hpp's datafit, scikit-learn's and glmnet's
// scaling divided through by the weight sum):
//     P(w, beta) = L(X w + beta + o) + l1 sum_j a_j |w_j| + l2/2 sum_j e_j w_j^2,  lo <= w <= hi.
// Per alpha, warm-started from the previous one, proximal Newton steps: the quadratic model of
// L at the current point is a weighted least-squares problem on the same design (its IRLS
// weights and, with an intercept, their weighted column means: Design::reweight), solved by
// the path driver at this alpha (working sets, strong rule, screening, the residual-form and
// block solvers), the intercept of the model exactly; a backtracking line search on P along
// the step; then the intercept of P exactly (a 1-D Newton), so the dual point's sum is zero.
// Each point is certified by P's duality gap (logistic.hpp's dual at theta = t r).
#pragma once

#include <vector>

#include "shrinkage/design.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

// The data of one binomial problem. The sample weights enter as c = s / sum(s), and each
// Newton step reweights the design (whatever its scale) to its quadratic model.
struct BinomialData {
  Design& design;
  const double* y;              // n responses in [0, 1]
  const double* weights;        // n sample weights >= 0 with a positive sum, or null (all 1)
  const double* offsets;        // n, or null
  bool fit_intercept;
};

// glmnet's path controls for the binomial family and the Newton steps' limit.
struct BinomialControls {
  int max_newton = 100;   // Newton steps (quadratic models) per alpha
  double devmax = 1.0;    // stop after the first alpha whose deviance ratio exceeds this
  double fdev = 0.0;      // ... or whose ratio grew by less than this fraction of itself
  int min_alphas = 5;     // neither rule stops the path before this many alphas
};

// The model without features: its intercept (0 without one), the datafit's value there and
// at the saturated model, and X^T r at it (what alpha_max is computed from).
struct BinomialNull {
  double intercept = 0, value = 0, saturated = 0;
  std::vector<double> correlations;
};
BinomialNull binomial_null(const BinomialData& data);

struct BinomialPathResult : PathResult {
  std::vector<double> intercepts;       // per alpha done
  std::vector<double> deviance_ratios;  // 1 - (L - L_sat) / (L_null - L_sat)
  std::vector<int> newton_steps;
  double tol_unit = 0;  // the gap's unit: a point is converged when gap <= tol * tol_unit
};

// One path: the gaps are P's (in its units), converged when gap <= tol * 2 (L_null - L_sat),
// the null deviance per unit weight (the Gaussian family's tol * c). opt.max_iter bounds the
// epochs of each quadratic model. coef_init (p) or null; intercept_init is used with it.
BinomialPathResult binomial_path(const BinomialData& data, const double* alphas, int n_alphas,
                                 const double* coef_init, double intercept_init,
                                 const PathOptions& opt, const BinomialControls& controls,
                                 const Checkpoint& checkpoint, const CoefficientSink& sink);

}  // namespace shrinkage
