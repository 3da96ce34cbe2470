// Gram sources: the full Gram (computed by syrk or given) and the lazy column caches.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

#include "arrays.hpp"
#include "shrinkage/gram.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

// X^T X in double for float64 or float32 X (float32 data is accumulated in double).
template <class T>
py::object dense_gram_py(const py::array& x) {
  const T* data = data_of<T>(x, "X");
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  py::array_t<double> out({p, p});
  double* g = out.mutable_data();
  {
    py::gil_scoped_release release;
    dense_gram(data, n, p, is_fortran(x), g);
  }
  return std::move(out);
}

// X^T Y in double (Y float64, Fortran-ordered); float32 X is accumulated in double.
template <class T>
py::object cross_product_py(const py::array& x, const py::array& y) {
  const T* xd = data_of<T>(x, "X");
  const double* yd = data_of<double>(y, "Y", true);
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  if (y.ndim() != 2 || y.shape(0) != n) throw std::invalid_argument("Y must be (n_samples, k)");
  const int k = checked_int(y.shape(1), "n_targets");
  py::array_t<double, py::array::f_style> out({p, k});
  double* o = out.mutable_data();
  {
    py::gil_scoped_release release;
    cross_product(xd, n, p, is_fortran(x), yd, k, o);
  }
  return std::move(out);
}

template <class T>
std::unique_ptr<GramSource<T>> full(const py::array& gram, double scale) {
  const int p = checked_int(gram.shape(0), "n_features");
  if (gram.ndim() != 2 || gram.shape(1) != p) throw std::invalid_argument("Gram must be square");
  return std::make_unique<FullGram<T>>(data_of<T>(gram, "Gram"), p, scale);
}

template <class T>
std::unique_ptr<GramSource<T>> dense_design(const py::array& x, const py::array& sq_norms,
                                            double scale) {
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  return std::make_unique<DenseDesign<T>>(data_of<T>(x, "X"), n, p, is_fortran(x),
                                            data_of<double>(sq_norms, "sq_norms"), scale);
}

template <class T>
std::unique_ptr<GramSource<T>> sparse_lazy(const py::array& indptr, const py::array& indices,
                                            const py::array& data, int n, int p,
                                            const py::array& sq_norms, double scale) {
  return std::make_unique<SparseLazyGram<T>>(
      data_of<std::int64_t>(indptr, "indptr"), data_of<std::int32_t>(indices, "indices"),
      data_of<T>(data, "data"), n, p, data_of<double>(sq_norms, "sq_norms"), scale);
}

template <class T>
void bind_source(py::module_& m, const char* name) {
  py::class_<GramSource<T>>(m, name)
      .def_property_readonly("n_features", &GramSource<T>::n_features)
      .def_property_readonly("scale", &GramSource<T>::scale)
      .def_property_readonly("cached_bytes", &GramSource<T>::cached_bytes);
}

}  // namespace

template <class V>
py::object to_object(V&& v) {
  if constexpr (std::is_base_of_v<py::object, std::decay_t<V>>)
    return std::forward<V>(v);
  else
    return py::cast(std::forward<V>(v));
}

// Calls f(T{}) with T the array's floating dtype (float64 or float32).
template <class F>
py::object by_dtype(const py::array& a, F&& f) {
  if (py::isinstance<py::array_t<double>>(a)) return to_object(f(double{}));
  if (py::isinstance<py::array_t<float>>(a)) return to_object(f(float{}));
  throw std::invalid_argument("expected a float64 or float32 array");
}

void register_gram(py::module_& m) {
  bind_source<double>(m, "GramSource64");
  bind_source<float>(m, "GramSource32");

  m.def(
      "dense_gram",
      [](const py::array& x) {
        return by_dtype(x, [&](auto t) { return dense_gram_py<decltype(t)>(x); });
      },
      py::arg("X"), "X^T X by BLAS syrk, float64 (float32 X accumulated in double).");
  m.def(
      "cross_product",
      [](const py::array& x, const py::array& y) {
        return by_dtype(x, [&](auto t) { return cross_product_py<decltype(t)>(x, y); });
      },
      py::arg("X"), py::arg("Y"),
      "X^T Y by BLAS gemm, float64 (Y float64 Fortran-ordered; float32 X accumulated in double).");
  // keep_alive<0, k>: a source reads the caller's arrays in place, so it keeps them alive.
  m.def(
      "full_gram",
      [](const py::array& gram, double scale) {
        return by_dtype(gram, [&](auto t) { return full<decltype(t)>(gram, scale); });
      },
      py::arg("gram"), py::arg("scale"), py::keep_alive<0, 1>());
  m.def(
      "dense_design_gram",
      [](const py::array& x, const py::array& sq_norms, double scale) {
        return by_dtype(x, [&](auto t) { return dense_design<decltype(t)>(x, sq_norms, scale); });
      },
      py::arg("X"), py::arg("sq_norms"), py::arg("scale"), py::keep_alive<0, 1>());
  m.def(
      "sparse_lazy_gram",
      [](const py::array& indptr, const py::array& indices, const py::array& data, int n, int p,
         const py::array& sq_norms, double scale) {
        return by_dtype(data, [&](auto t) {
          return sparse_lazy<decltype(t)>(indptr, indices, data, n, p, sq_norms, scale);
        });
      },
      py::arg("indptr"), py::arg("indices"), py::arg("data"), py::arg("n_samples"),
      py::arg("n_features"), py::arg("sq_norms"), py::arg("scale"), py::keep_alive<0, 1>(),
      py::keep_alive<0, 2>(), py::keep_alive<0, 3>());
}

}  // namespace shrinkage::bind
