// The elastic-net path by coordinate descent with covariance (Gram) updates.
//
// Problem (scikit-learn's scaling, divided through by n):
//     P(w) = 1/2 w^T G w - b^T w + c/2 + l1 ||w||_1 + l2/2 ||w||^2,   l1 = alpha*rho, l2 = alpha*(1-rho)
// with G = X^T X / n, b = X^T y / n, c = y^T y / n. With several targets (n_tasks > 1) w is
// p x n_tasks and ||w||_1 is the l2,1 norm (the multi-task problem of scikit-learn's enet_path).
//
// The parts, each in its own file:
//   path driver (path_driver.hpp): the alpha loop, warm starts, the strong rule, KKT checks;
//   penalty.hpp: the penalty's prox, dual-norm magnitude and conjugate (ElasticNet, GroupL21);
//   gap.hpp: the duality gap and gap-safe screening;
//   gradient.hpp: q = b - G w for all features, exact wherever it decides anything;
//   working_set.hpp: the working set and its packed Gram block;
//   block_solver.hpp: CD epochs on the block with Anderson extrapolation (anderson.hpp);
//   support_newton.hpp: Newton steps on the support with a cached Cholesky factor;
//   gram_source.hpp: what the solver needs of G, one class per data representation.
#pragma once

#include "shrinkage/gram_source.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage {

// One path from the Gram source and b = X^T y / n (p x n_tasks, column-major),
// c = sum of ||y_t||^2 / n; coef_init (p x n_tasks) or null; each alpha's coefficients go to
// `sink`. Several tasks solve the multi-task (l2,1) problem; positive is for one task only.
PathResult enet_path(GramSource& gram, const double* b, int n_tasks, double c,
                     const double* alphas, int n_alphas, const double* coef_init,
                     const PathOptions& opt, const Checkpoint& checkpoint,
                     const CoefficientSink& sink);

}  // namespace shrinkage
