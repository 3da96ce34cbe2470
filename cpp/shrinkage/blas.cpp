#include "shrinkage/blas.hpp"

namespace shrinkage {

namespace {
BlasTable installed_table;
}

void set_blas_table(const BlasTable& table) { installed_table = table; }
const BlasTable& blas_table() { return installed_table; }

}  // namespace shrinkage
