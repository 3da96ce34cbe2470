// The Cholesky kernel on its own, scipy-style: factor in place, solve with the factor.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "arrays.hpp"
#include "signals.hpp"
#include "shrinkage/cholesky.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

// Factorises the Fortran-ordered square array in place (lower factor, strict upper zeroed).
// Returns -1, or the first column whose pivot is not positive; Ctrl-C raises KeyboardInterrupt
// (checked between blocks, with the GIL briefly retaken).
template <class T>
int factor_inplace(py::array& a) {
  T* data = static_cast<T*>(a.mutable_data());
  const int n = checked_int(a.shape(0), "n");
  int info;
  {
    py::gil_scoped_release release;
    info = cholesky_factor(n, data, n, python_interrupted);
    if (info == -1)  // success: zero the strict upper triangle, as scipy returns L
      for (int j = 1; j < n; ++j)
        for (int i = 0; i < j; ++i) data[static_cast<std::size_t>(j) * n + i] = T(0);
  }
  if (info == kInterrupted) throw py::error_already_set();  // the KeyboardInterrupt is set
  return info;
}

template <class T>
void solve_inplace(const py::array& l, py::array& b) {
  const T* ld = data_of<T>(l, "L", true);
  if (!py::isinstance<py::array_t<T>>(b))  // the kernel reads B with L's element size
    throw std::invalid_argument("B must have L's dtype");
  T* bd = static_cast<T*>(b.mutable_data());
  const int n = checked_int(l.shape(0), "n");
  const int k = b.ndim() == 1 ? 1 : checked_int(b.shape(1), "n_rhs");
  py::gil_scoped_release release;
  cholesky_solve_many(n, k, ld, n, bd, n);
}

void check_square_fortran(const py::array& a, const char* name, bool writeable) {
  if (a.ndim() != 2 || a.shape(0) != a.shape(1))
    throw std::invalid_argument(std::string(name) + " must be square");
  if ((a.flags() & py::array::f_style) == 0 || (writeable && !a.writeable()))
    throw std::invalid_argument(std::string(name) + " must be a " +
                                (writeable ? "writeable " : "") + "Fortran array");
}

}  // namespace

void register_linalg(py::module_& m) {
  m.def(
      "cholesky_inplace",
      [](py::array& a) {
        check_square_fortran(a, "A", true);
        if (py::isinstance<py::array_t<double>>(a)) return factor_inplace<double>(a);
        if (py::isinstance<py::array_t<float>>(a)) return factor_inplace<float>(a);
        throw std::invalid_argument("expected a float64 or float32 array");
      },
      py::arg("a"),
      "Blocked Cholesky A = L L^T in place (Fortran order); -1 or the failing column.");
  m.def(
      "cho_solve_inplace",
      [](const py::array& l, py::array& b) {
        check_square_fortran(l, "L", false);  // only read
        if (b.ndim() < 1 || b.ndim() > 2 || b.shape(0) != l.shape(0) ||
            (b.flags() & py::array::f_style) == 0 || !b.writeable())
          throw std::invalid_argument(
              "B must be a writeable Fortran-ordered 1-D or 2-D array with L's number of rows");
        if (py::isinstance<py::array_t<double>>(l)) return solve_inplace<double>(l, b);
        if (py::isinstance<py::array_t<float>>(l)) return solve_inplace<float>(l, b);
        throw std::invalid_argument("expected a float64 or float32 array");
      },
      py::arg("l"), py::arg("b"), "Solves L L^T X = B in place.");
}

}  // namespace shrinkage::bind
