// shrinkage._core: bindings of the C++ kernel library (cpp/shrinkage), one register_* per concept.
#include <pybind11/pybind11.h>

#include <cstring>

#include "shrinkage/blas.hpp"
#include "shrinkage/dispatch.hpp"

namespace py = pybind11;

namespace shrinkage::bind {
void register_gram(py::module_& m);
void register_path(py::module_& m);
void register_binomial(py::module_& m);
void register_linalg(py::module_& m);
}  // namespace shrinkage::bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "shrinkage's compiled kernels (private; use the shrinkage package).";
  m.def(
      "install_blas",
      [](const py::capsule& table) {
        if (std::strcmp(table.name(), "shrinkage.BlasTable") != 0)
          throw std::invalid_argument("not a shrinkage.BlasTable capsule");
        shrinkage::set_blas_table(*table.get_pointer<shrinkage::BlasTable>());
      },
      py::arg("table"), "Installs the BLAS/LAPACK function table (done once at import).");
  m.def("simd_level", &shrinkage::simd_level,
        "The instruction-set level whose clones of the hot loops run on this CPU.");
  shrinkage::bind::register_gram(m);
  shrinkage::bind::register_path(m);
  shrinkage::bind::register_binomial(m);
  shrinkage::bind::register_linalg(m);
}
