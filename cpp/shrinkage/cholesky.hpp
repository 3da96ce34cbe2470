// Cholesky factorisation A = L L^T of a symmetric positive definite matrix (lower triangle,
// column-major), and the solves with it.
#pragma once

namespace shrinkage {

// Unblocked left-looking factorisation in place; the strict upper triangle is not read.
// Returns -1 on success, else the index of the first column whose pivot is not positive.
// Meant for the small systems of the solver (a few hundred); large ones go through
// `cholesky_factor`, which blocks the work into BLAS-3 calls.
int cholesky_unblocked(int n, double* a, int lda);

// Factorises in place (unblocked when small, LAPACK-style blocked through BLAS otherwise).
// Returns -1 on success, else the first non-positive pivot's column.
int cholesky_factor(int n, double* a, int lda);

// Extends the factor L (n x n, leading dimension lda >= n + 1) of A to that of
// [[A, v], [v^T, d]]: row n becomes L^{-1} v (v is overwritten with it) and the new pivot
// sqrt(d - |L^{-1} v|^2). Returns false, leaving L's first n columns as they were, if that
// pivot is not above tiny * d: the new column is numerically dependent on the others.
bool cholesky_append(int n, double* l, int lda, double* v, double d, double tiny);

// Removes row and column k from the factor L (n x n) of A, giving that of A without them:
// rows below k move up, and the trailing block absorbs the removed column by a rank-one
// update (O((n - k)^2)). `work` needs n - k - 1 entries.
void cholesky_delete(int n, double* l, int lda, int k, double* work);

// Solves (L L^T) x = b in place for one right-hand side.
void cholesky_solve(int n, const double* l, int ldl, double* b);

}  // namespace shrinkage
