// The test runner: installs the system BLAS (and LAPACK's dpotri) in the kernels' table, then
// runs every test case.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "shrinkage/blas.hpp"

extern "C" {
shrinkage::syrk_d dsyrk_;
shrinkage::syrk_s ssyrk_;
shrinkage::gemm_d dgemm_;
shrinkage::gemv_d dgemv_;
shrinkage::gemv_s sgemv_;
shrinkage::trsm_d dtrsm_;
shrinkage::trsm_s strsm_;
shrinkage::trsv_d dtrsv_;
shrinkage::potri_d dpotri_;
}

int main(int argc, char** argv) {
  shrinkage::BlasTable table;
  table.dsyrk = dsyrk_;
  table.ssyrk = ssyrk_;
  table.dgemm = dgemm_;
  table.dgemv = dgemv_;
  table.sgemv = sgemv_;
  table.dtrsm = dtrsm_;
  table.strsm = strsm_;
  table.dtrsv = dtrsv_;
  table.dpotri = dpotri_;
  shrinkage::set_blas_table(table);
  doctest::Context context(argc, argv);
  return context.run();
}
