// The innermost loops of coordinate descent on a packed working-set Gram block.
//
// H is the m x m block G[W, W] (column-major, leading dimension ldh >= m), w and q the coefficients
// and the gradient b - G w restricted to W. Updating coordinate k costs one contiguous axpy
// over column k of H; nothing else is touched. Both kernels are multiversioned (dispatch.hpp).
#pragma once

#include "shrinkage/block.hpp"

namespace shrinkage {

struct EpochResult {
  bool support_changed = false;  // some coefficient entered, left or changed sign
  int n_changed = 0;             // coordinates that moved (each cost one axpy)
};

// One cyclic pass over the coordinates in `order` (length m) for a single target.
// l1, l2: the penalty alpha*rho and alpha*(1-rho); positive clamps at zero.
EpochResult cd_epoch(int m, const double* H, int ldh, double* w, double* q, const int* order, double l1,
                     double l2, bool positive);

// The same pass with each coordinate's own terms: l1 a_k, l2 e_k and the box [lo_k, hi_k].
EpochResult cd_epoch_box(int m, const double* H, int ldh, double* w, double* q, const int* order,
                         double l1, double l2, const Coordinate* coords);

// Block (group-lasso) pass for n_tasks > 1: w, q are m x n_tasks column-major and the row
// w[k, :] is shrunk by its Euclidean norm (the multi-task l2,1 penalty).
EpochResult cd_epoch_group(int m, int n_tasks, const double* H, int ldh, double* w, double* q,
                           const int* order, double l1, double l2);

// y -= a * x over n contiguous entries (the rank-one gradient update outside the epoch, and the
// residual-form update of a dense column).
void axpy_sub(int n, double a, const double* x, double* y);

// x^T y over n contiguous entries (the residual-form correlation of a dense column).
double dot(int n, const double* x, const double* y);

}  // namespace shrinkage
