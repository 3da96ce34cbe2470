// Cholesky factorisation A = L L^T of a symmetric positive definite matrix (lower triangle,
// column-major), and the solves with it.
#pragma once

#include "shrinkage/interrupted.hpp"

namespace shrinkage {

// Unblocked left-looking factorisation in place; the strict upper triangle is not read.
// Returns -1 on success, else the index of the first column whose pivot is not positive.
// For small systems and diagonal blocks; `cholesky_factor` blocks larger ones.
int cholesky_unblocked(int n, double* a, int lda);
int cholesky_unblocked(int n, float* a, int lda);

// Right-looking blocked factorisation in place (docs/design.md §3): the diagonal block by
// the unblocked kernel, the panel below it by a triangular solve (trsm), the trailing matrix by
// a symmetric rank-nb update (syrk), which carries nearly all the n^3/3 flops at BLAS-3 speed.
// Returns -1 on success, else the first column whose pivot is not positive; kInterrupted if
// `interrupted` (polled between blocks) returned true.
constexpr int kInterrupted = -2;
int cholesky_factor(int n, double* a, int lda, const Interrupted& interrupted = {});
int cholesky_factor(int n, float* a, int lda, const Interrupted& interrupted = {});

// Solves (L L^T) X = B in place for nrhs right-hand sides (two triangular solves).
void cholesky_solve_many(int n, int nrhs, const double* l, int ldl, double* b, int ldb);
void cholesky_solve_many(int n, int nrhs, const float* l, int ldl, float* b, int ldb);

// Extends the factor L (n x n) of A by k rows and columns to that of [[A, B], [B^T, C]]
// (leading dimension lda >= n + k). On entry rows n..n+k of columns 0..n hold B^T and the lower
// triangle of the k x k block at (n, n) holds C; a triangular solve and a rank-n update (both
// BLAS-3, so a batch of features reads L once; one feature goes through trsv, which skips the
// level-3 calls' packing) and a factorisation of the k x k block replace them with the new
// rows of the factor. Returns false if a new pivot squared is not above tiny times its
// diagonal entry of C: that feature is numerically dependent on the others (L's first n
// columns are as they were; the new rows are not).
bool cholesky_append(int n, int k, double* l, int lda, double tiny);

// Removes row and column k from the factor L (n x n) of A, giving that of A without them:
// rows below k move up, and the trailing block absorbs the removed column by a rank-one
// update (O((n - k)^2)). `work` needs n - k - 1 entries.
void cholesky_delete(int n, double* l, int lda, int k, double* work);

// Solves (L L^T) x = b in place for one right-hand side.
void cholesky_solve(int n, const double* l, int ldl, double* b);

}  // namespace shrinkage
