// How the bindings take numpy arrays: by reference, never by a silent converting copy. The
// Python layer prepares dtype and layout; these helpers check them and fail loudly otherwise.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace shrinkage::bind {

namespace py = pybind11;

template <class T>
const T* data_of(const py::array& a, const char* name, bool need_fortran = false) {
  if (!py::isinstance<py::array_t<T>>(a))  // numpy's equivalence: kind, size, byte order
    throw std::invalid_argument(std::string(name) + ": unexpected dtype");
  const bool ok = need_fortran ? (a.flags() & py::array::f_style) != 0
                               : (a.flags() & (py::array::c_style | py::array::f_style)) != 0;
  if (!ok) throw std::invalid_argument(std::string(name) + ": array must be contiguous");
  return static_cast<const T*>(a.data());
}

// A float64 vector of `size` entries, or null for None.
inline const double* optional_data(const py::object& a, const char* name, py::ssize_t size) {
  if (a.is_none()) return nullptr;
  const auto arr = a.cast<py::array>();
  if (arr.size() != size) throw std::invalid_argument(std::string(name) + ": wrong length");
  return data_of<double>(arr, name);
}

inline bool is_fortran(const py::array& a) {
  return a.ndim() < 2 || (a.flags() & py::array::c_style) == 0;
}

inline int checked_int(py::ssize_t v, const char* what) {
  if (v > static_cast<py::ssize_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument(std::string(what) + " exceeds 2^31 - 1");
  return static_cast<int>(v);
}

}  // namespace shrinkage::bind
