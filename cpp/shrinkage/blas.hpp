// BLAS / LAPACK as seen by the kernels: a table of Fortran-convention function pointers.
//
// The kernels never link a BLAS. The Python package fills the table once at import from
// scipy's own BLAS/LAPACK (src/_blas_bridge.pyx), so shrinkage shares scipy's thread pool and
// whatever BLAS scipy was built with; a C++-only program fills it from a system BLAS.
#pragma once

#include <algorithm>
#include <stdexcept>

namespace shrinkage {

extern "C" {
using syrk_d = void(char*, char*, int*, int*, double*, const double*, int*, double*, double*, int*);
using syrk_s = void(char*, char*, int*, int*, float*, const float*, int*, float*, float*, int*);
using gemm_d = void(char*, char*, int*, int*, int*, double*, const double*, int*, const double*,
                    int*, double*, double*, int*);
using gemv_d = void(char*, int*, int*, double*, const double*, int*, const double*, int*, double*,
                    double*, int*);
using gemv_s = void(char*, int*, int*, float*, const float*, int*, const float*, int*, float*,
                    float*, int*);
using trsm_d = void(char*, char*, char*, char*, int*, int*, double*, const double*, int*, double*,
                    int*);
using trsm_s = void(char*, char*, char*, char*, int*, int*, float*, const float*, int*, float*,
                    int*);
using trsv_d = void(char*, char*, char*, int*, const double*, int*, double*, int*);
using potri_d = void(char*, int*, double*, int*, int*);
}

struct BlasTable {
  syrk_d* dsyrk = nullptr;
  syrk_s* ssyrk = nullptr;
  gemm_d* dgemm = nullptr;
  gemv_d* dgemv = nullptr;
  gemv_s* sgemv = nullptr;
  trsm_d* dtrsm = nullptr;
  trsm_s* strsm = nullptr;
  trsv_d* dtrsv = nullptr;
  potri_d* dpotri = nullptr;  // LAPACK
};

// Installed once (at import); read-only afterwards, so concurrent solver threads may use it.
void set_blas_table(const BlasTable& table);
const BlasTable& blas_table();

namespace blas {

inline const BlasTable& checked() {
  const BlasTable& t = blas_table();
  if (t.dsyrk == nullptr) throw std::logic_error("shrinkage: the BLAS table was never installed");
  return t;
}

// C (lower triangle, n x n, column-major) = alpha * op(A)^T op(A) + beta * C.
// trans = 'T': A is k x n column-major (C = A^T A); trans = 'N': A is n x k (C = A A^T).
inline void syrk(char trans, int n, int k, double alpha, const double* a, int lda, double beta,
                 double* c, int ldc) {
  char uplo = 'L';
  checked().dsyrk(&uplo, &trans, &n, &k, &alpha, a, &lda, &beta, c, &ldc);
}
inline void syrk(char trans, int n, int k, float alpha, const float* a, int lda, float beta,
                 float* c, int ldc) {
  char uplo = 'L';
  checked().ssyrk(&uplo, &trans, &n, &k, &alpha, a, &lda, &beta, c, &ldc);
}

// C (m x n) = alpha * op(A) op(B) + beta * C, all column-major.
inline void gemm(char ta, char tb, int m, int n, int k, double alpha, const double* a, int lda,
                 const double* b, int ldb, double beta, double* c, int ldc) {
  checked().dgemm(&ta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
}

// y = alpha * op(A) x + beta * y, A m x n column-major, unit strides. A product with one
// column goes here rather than to gemm, which would pack (copy) all of A first. With beta = 0
// y is zeroed first: some BLAS scale it by beta, which keeps NaN garbage of a fresh buffer.
inline void gemv(char trans, int m, int n, double alpha, const double* a, int lda,
                 const double* x, double beta, double* y) {
  int one = 1;
  if (beta == 0.0) std::fill(y, y + (trans == 'N' ? m : n), 0.0);
  checked().dgemv(&trans, &m, &n, &alpha, a, &lda, x, &one, &beta, y, &one);
}
inline void gemv(char trans, int m, int n, float alpha, const float* a, int lda, const float* x,
                 float beta, float* y) {
  int one = 1;
  if (beta == 0.0f) std::fill(y, y + (trans == 'N' ? m : n), 0.0f);
  checked().sgemv(&trans, &m, &n, &alpha, a, &lda, x, &one, &beta, y, &one);
}

// B = alpha * op(A)^{-1} B (side 'L') or B op(A)^{-1} (side 'R'), A triangular.
inline void trsm(char side, char uplo, char trans, int m, int n, double alpha, const double* a,
                 int lda, double* b, int ldb) {
  char diag = 'N';
  checked().dtrsm(&side, &uplo, &trans, &diag, &m, &n, &alpha, a, &lda, b, &ldb);
}
inline void trsm(char side, char uplo, char trans, int m, int n, float alpha, const float* a,
                 int lda, float* b, int ldb) {
  char diag = 'N';
  checked().strsm(&side, &uplo, &trans, &diag, &m, &n, &alpha, a, &lda, b, &ldb);
}

// x = op(A)^{-1} x, A triangular (n x n), x's entries incx apart.
inline void trsv(char uplo, char trans, int n, const double* a, int lda, double* x,
                 int incx = 1) {
  char diag = 'N';
  checked().dtrsv(&uplo, &trans, &diag, &n, a, &lda, x, &incx);
}

// A^{-1} (lower triangle) in place of the Cholesky factor L of A = L L^T (LAPACK dpotri:
// a triangular inverse and its product, 2 n^3 / 3 flops). Returns LAPACK's info (0: success).
inline int potri(int n, double* a, int lda) {
  char uplo = 'L';
  int info = 0;
  checked().dpotri(&uplo, &n, a, &lda, &info);
  return info;
}

}  // namespace blas
}  // namespace shrinkage
