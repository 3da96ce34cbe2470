// Gram sources: the full Gram (computed by syrk or given) and the dense and sparse designs.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "signals.hpp"
#include "shrinkage/dense_design.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/products.hpp"
#include "shrinkage/sparse_design.hpp"
#include "shrinkage/moments.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

// X^T X in double for float64 or float32 X (float32 data is accumulated in double).
template <class T>
py::object dense_gram_py(const py::array& x, int workers) {
  const T* data = data_of<T>(x, "X");
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  py::array_t<double> out({p, p});
  double* g = out.mutable_data();
  bool done;
  {
    py::gil_scoped_release release;
    done = dense_gram(data, n, p, is_fortran(x), g, python_interrupted, workers);
  }
  if (!done) throw py::error_already_set();
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

// Weighted moments about a shift over a subset of rows (see moments.hpp), all float64:
// (weight_sum, s1x (p), s1y (k), s2xx (p x p, or its diagonal p), s2xy (p x k), s2yy (k)).
template <class T>
py::tuple shifted_moments_py(const py::array& x, const py::array& y, const py::object& rows,
                             const py::object& weights, const py::array& shift_x,
                             const py::array& shift_y, bool diagonal_only) {
  const T* xd = data_of<T>(x, "X");
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  if (y.ndim() != 2 || y.shape(0) != n) throw std::invalid_argument("Y must be (n_samples, k)");
  const int k = checked_int(y.shape(1), "n_targets");
  const double* yd = data_of<double>(y, "Y", true);
  const std::int64_t* rd = nullptr;
  std::int64_t n_rows = n;
  if (!rows.is_none()) {
    const auto r = rows.cast<py::array>();
    rd = data_of<std::int64_t>(r, "rows");
    n_rows = r.size();
    for (std::int64_t i = 0; i < n_rows; ++i)
      if (rd[i] < 0 || rd[i] >= n) throw std::invalid_argument("rows: index out of range");
  }
  const double* wd = optional_data(weights, "weights", n);
  if (shift_x.size() != p || shift_y.size() != k) throw std::invalid_argument("shift: wrong length");
  py::array_t<double> s1x(p), s1y(k), s2yy(k);
  py::array_t<double, py::array::f_style> s2xy({p, k});
  py::array_t<double, py::array::f_style> s2xx =
      diagonal_only ? py::array_t<double, py::array::f_style>({p, 1})
                    : py::array_t<double, py::array::f_style>({p, p});
  double weight_sum = 0.0;
  MomentsOut out{&weight_sum, s1x.mutable_data(), s1y.mutable_data(), s2xx.mutable_data(),
                 s2xy.mutable_data(), s2yy.mutable_data()};
  const double* cx = data_of<double>(shift_x, "shift_x");
  const double* cy = data_of<double>(shift_y, "shift_y");
  bool done;
  {
    py::gil_scoped_release release;
    done = shifted_moments(xd, n, p, is_fortran(x), yd, k, rd, n_rows, wd, cx, cy,
                           diagonal_only, out, python_interrupted);
  }
  if (!done) throw py::error_already_set();
  return py::make_tuple(weight_sum, s1x, s1y, s2xx, s2xy, s2yy);
}

std::unique_ptr<GramSource> full(const py::array& gram, double scale) {
  const int p = checked_int(gram.shape(0), "n_features");
  if (gram.ndim() != 2 || gram.shape(1) != p) throw std::invalid_argument("Gram must be square");
  return std::make_unique<FullGram>(data_of<double>(gram, "Gram"), p, scale);
}

template <class T>
std::unique_ptr<Design> dense_design(const py::array& x, const py::array& sq_norms,
                                            double scale, const py::object& weights,
                                            const py::object& offsets,
                                            const py::object& share_view_with) {
  const int n = checked_int(x.shape(0), "n_samples"), p = checked_int(x.shape(1), "n_features");
  if (sq_norms.size() != p) throw std::invalid_argument("sq_norms: wrong length");
  auto design = std::make_unique<DenseDesign<T>>(
      data_of<T>(x, "X"), n, p, is_fortran(x), data_of<double>(sq_norms, "sq_norms"), scale,
      optional_data(weights, "weights", n), optional_data(offsets, "offsets", p));
  if (!share_view_with.is_none())
    if (const auto* other = dynamic_cast<const DenseDesign<T>*>(&share_view_with.cast<GramSource&>()))
      design->share_view_with(*other);
  return design;
}

// X's CSC arrays (indptr int64, indices int32, data float64), and its CSR arrays likewise or
// None.
Compressed compressed(const py::array& start, const py::array& index, const py::array& value,
                      py::ssize_t count, const char* what) {
  if (start.size() != count + 1)
    throw std::invalid_argument(std::string(what) + ": indptr of the wrong length");
  if (index.size() != value.size())
    throw std::invalid_argument(std::string(what) + ": indices and data of different lengths");
  return {data_of<std::int64_t>(start, "indptr"), data_of<std::int32_t>(index, "indices"),
          data_of<double>(value, "data")};
}

std::unique_ptr<Design> sparse_design(const py::array& indptr, const py::array& indices,
                                          const py::array& data, int n, int p, double scale,
                                          const py::object& weights, const py::object& offsets,
                                          const py::object& rows) {
  const Compressed columns = compressed(indptr, indices, data, p, "sparse X (CSC)");
  Compressed row_arrays;
  if (!rows.is_none()) {
    const auto csr = rows.cast<py::tuple>();
    if (csr.size() != 3) throw std::invalid_argument("rows: (indptr, indices, data) of CSR X");
    row_arrays = compressed(csr[0].cast<py::array>(), csr[1].cast<py::array>(),
                            csr[2].cast<py::array>(), n, "sparse X (CSR)");
    if (csr[2].cast<py::array>().size() != data.size())
      throw std::invalid_argument("sparse X: its CSR and CSC arrays hold different nnz");
  }
  return std::make_unique<SparseDesign>(columns, row_arrays, n, p, scale,
                                        optional_data(weights, "weights", n),
                                        optional_data(offsets, "offsets", p));
}

// The gradient q = b - G w of a source for one target (tests): exact, or with a threshold its
// bounded pass, returning (q, bound) with bound[j] = 0 where q[j] is exact.
py::tuple source_gradient(GramSource& gram, const py::array& b, const py::array& w,
                          const py::object& threshold, const std::vector<int>& exact) {
  const int p = gram.n_features();
  if (b.size() != p || w.size() != p)
    throw std::invalid_argument("b and w need n_features entries");
  const double* bd = data_of<double>(b, "b");
  const double* wd = data_of<double>(w, "w");
  std::vector<int> support;
  for (int j = 0; j < p; ++j)
    if (wd[j] != 0.0) support.push_back(j);
  for (int j : exact)
    if (j < 0 || j >= p) throw std::invalid_argument("exact: feature index out of range");
  py::array_t<double> q(p), bound(p);
  std::fill(bound.mutable_data(), bound.mutable_data() + p, 0.0);
  SourceScratch scratch;
  if (threshold.is_none() ||
      !gram.bounded_gradient(bd, wd, support, exact, q.mutable_data(), bound.mutable_data(),
                             scratch)) {
    gram.gradient(bd, wd, 1, support, q.mutable_data(), scratch);
  } else {
    std::vector<int> reaching;
    const double t = threshold.cast<double>();
    bound_reaches([t](int) { return t; }, q.data(), bound.data(), p, reaching);
    gram.make_exact(bd, reaching, q.mutable_data(), bound.mutable_data(), scratch);
  }
  return py::make_tuple(q, bound);
}

// The scaled block G[features, features] of a source (the relaxed fits' support Grams), with
// the GIL released while a design source computes it.
py::array_t<double> source_block(GramSource& gram, const std::vector<int>& features) {
  const int m = static_cast<int>(features.size());
  for (int j : features)
    if (j < 0 || j >= gram.n_features())
      throw std::invalid_argument("features: index out of range");
  py::array_t<double, py::array::f_style> block({m, m});
  {
    py::gil_scoped_release release;
    SourceScratch scratch;
    gram.fill_block(features.data(), m, 0, block.mutable_data(), std::max(m, 1), scratch);
  }
  return block;
}

void bind_source(py::module_& m) {
  py::class_<GramSource>(m, "GramSource")
      .def_property_readonly("n_features", &GramSource::n_features)
      .def_property_readonly("scale", &GramSource::scale)
      .def_property_readonly(
          "diagonal",
          [](const GramSource& g) {
            py::array_t<double> d(g.n_features());
            for (int j = 0; j < g.n_features(); ++j)
              d.mutable_data()[j] = g.scale() * g.diagonal()[j];
            return d;
          },
          "The scaled Gram diagonal (the columns' weighted mean squares, about the means when "
          "centred).")
      .def("gradient", &source_gradient, py::arg("b"), py::arg("w"),
           py::arg("threshold") = py::none(), py::arg("exact") = std::vector<int>())
      .def("block", &source_block, py::arg("features"),
           "The scaled Gram block G[features, features].");
  py::class_<Design, GramSource>(m, "Design",
                                 "Dense or sparse X as a Gram source that a datafit can reweight.");
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
  bind_source(m);

  m.def(
      "dense_gram",
      [](const py::array& x, int workers) {
        if (workers < 1) throw std::invalid_argument("workers must be at least 1");
        return by_dtype(x, [&](auto t) { return dense_gram_py<decltype(t)>(x, workers); });
      },
      py::arg("X"), py::arg("workers") = 1,
      "X^T X by BLAS syrk, float64 (float32 X accumulated in double), on `workers` threads "
      "that each call the BLAS (limit it to one thread around the call).");
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
      [](const py::array& gram, double scale) { return full(gram, scale); },
      py::arg("gram"), py::arg("scale"), py::keep_alive<0, 1>());
  m.def(
      "shifted_moments",
      [](const py::array& x, const py::array& y, const py::object& rows,
         const py::object& weights, const py::array& shift_x, const py::array& shift_y,
         bool diagonal_only) {
        return by_dtype(x, [&](auto t) {
          return shifted_moments_py<decltype(t)>(x, y, rows, weights, shift_x, shift_y,
                                                 diagonal_only);
        });
      },
      py::arg("X"), py::arg("Y"), py::arg("rows"), py::arg("weights"), py::arg("shift_x"),
      py::arg("shift_y"), py::arg("diagonal_only") = false,
      "Weighted moments of (X, Y) about a shift over a subset of rows, in float64.");
  // The design sources copy weights and offsets; X (and the CSC arrays) are read in place.
  m.def(
      "dense_design_gram",
      [](const py::array& x, const py::array& sq_norms, double scale,
         const py::object& weights, const py::object& offsets,
         const py::object& share_view_with) {
        return by_dtype(x, [&](auto t) {
          return dense_design<decltype(t)>(x, sq_norms, scale, weights, offsets,
                                           share_view_with);
        });
      },
      py::arg("X"), py::arg("sq_norms"), py::arg("scale"), py::arg("weights") = py::none(),
      py::arg("offsets") = py::none(), py::arg("share_view_with") = py::none(),
      py::keep_alive<0, 1>(),
      "A wide dense design; share_view_with: a dense design over the same X (a fold's whole "
      "data), whose float32 view of X this one shares instead of making its own.");
  m.def("sparse_design_gram", &sparse_design, py::arg("indptr"), py::arg("indices"),
        py::arg("data"), py::arg("n_samples"), py::arg("n_features"), py::arg("scale"),
        py::arg("weights") = py::none(), py::arg("offsets") = py::none(),
        py::arg("rows") = py::none(), py::keep_alive<0, 1>(), py::keep_alive<0, 2>(),
        py::keep_alive<0, 3>(), py::keep_alive<0, 9>(),
        "A sparse design from X's CSC arrays; `rows`, X's CSR arrays (indptr, indices, data), "
        "serve the working-set blocks in place of a row-major copy of X.");
}

}  // namespace shrinkage::bind
