// The elastic-net path: runs with the GIL released, polls Ctrl-C through a checkpoint.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>
#include <vector>
#include <type_traits>

#include "arrays.hpp"
#include "shrinkage/enet_path.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

py::tuple enet_path_py(GramSource& gram, const py::array& xy, double yy,
                       const py::array& alphas, const py::object& coef_init, double l1_ratio,
                       bool positive, double tol, int max_iter, bool screening, bool newton,
                       bool random_order, std::uint64_t seed, bool float32_output,
                       const py::object& progress, int dfmax, int pmax,
                       const py::object& l1_weight, const py::object& l2_weight,
                       const py::object& lower, const py::object& upper) {
  const int p = gram.n_features();
  if (xy.ndim() != 2 || xy.shape(0) != p) throw std::invalid_argument("Xy must be (p, n_tasks)");
  const int n_tasks = checked_int(xy.shape(1), "n_tasks");
  const double* b = data_of<double>(xy, "Xy", true);
  const double* a = data_of<double>(alphas, "alphas");
  const int n_alphas = checked_int(alphas.size(), "n_alphas");
  const double* w0 = nullptr;
  if (!coef_init.is_none()) {
    const auto init = coef_init.cast<py::array>();
    if (init.size() != static_cast<py::ssize_t>(p) * n_tasks)
      throw std::invalid_argument("coef_init must have p * n_tasks entries");
    w0 = data_of<double>(init, "coef_init", true);
  }
  PathOptions opt;
  opt.l1_ratio = l1_ratio;
  opt.positive = positive;
  opt.tol = tol;
  opt.max_iter = max_iter;
  opt.screening = screening;
  opt.newton = newton;
  opt.random_order = random_order;
  opt.seed = seed;
  opt.float32_output = float32_output;
  opt.dfmax = dfmax;
  opt.pmax = pmax;
  // Per-feature terms: float64 arrays of length p (or None), packed once per path.
  const auto feature_terms = [p](const py::object& v, const char* name) -> const double* {
    if (v.is_none()) return nullptr;
    const auto a = v.cast<py::array>();
    if (a.ndim() != 1 || a.shape(0) != p)
      throw std::invalid_argument(std::string(name) + " must have n_features entries");
    return data_of<double>(a, name, true);
  };
  const double* a1 = feature_terms(l1_weight, "l1_weight");
  const double* a2 = feature_terms(l2_weight, "l2_weight");
  const double* lo = feature_terms(lower, "lower");
  const double* hi = feature_terms(upper, "upper");
  std::vector<Coordinate> coordinates;
  if (a1 || a2 || lo || hi) {
    if (n_tasks > 1) throw std::invalid_argument("per-feature penalty terms take one target");
    coordinates.resize(p);
    for (int j = 0; j < p; ++j) {
      Coordinate& k = coordinates[j];
      if (a1) k.a = a1[j];
      if (a2) k.e = a2[j];
      if (lo) k.lo = lo[j];
      if (positive) k.lo = 0.0;
      if (hi) k.hi = hi[j];
      if (!(k.lo <= 0.0 && k.hi >= 0.0 && k.a >= 0.0 && k.e >= 0.0))
        throw std::invalid_argument("feature terms need weights >= 0 and lower <= 0 <= upper");
    }
    opt.features = {coordinates.data(), lo != nullptr || hi != nullptr};
  }

  // Reacquires the GIL to run pending signal handlers (Ctrl-C) and the Python progress hook;
  // an exception there stays set in this thread and stops the path.
  Checkpoint checkpoint = [&progress](int alphas_done) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) return true;
    if (progress.is_none()) return false;
    try {
      return progress(alphas_done).cast<bool>();
    } catch (py::error_already_set& e) {
      e.restore();
      return true;
    }
  };

  // Each alpha's coefficients go straight into the returned array, in its dtype: float32 when
  // the caller returns float32, so no float64 copy of the whole path is ever held. The array
  // starts as numpy's zeros (pages the OS zeroes on first touch), and only non-zero
  // coefficients are written: a sparse path touches the rows of its support, not p x n_alphas
  // strided entries.
  py::array coefs = py::module_::import("numpy").attr("zeros")(
      py::make_tuple(n_tasks, p, n_alphas), float32_output ? "float32" : "float64");
  const auto store_into = [&](auto* out) -> CoefficientSink {
    return [out, p, n_tasks, n_alphas](int k, const double* w) {
      const std::size_t entries = static_cast<std::size_t>(n_tasks) * p;
      for (std::size_t at = 0; at < entries; ++at)
        if (w[at] != 0.0)
          out[at * n_alphas + k] = static_cast<std::remove_pointer_t<decltype(out)>>(w[at]);
    };
  };
  const CoefficientSink sink = float32_output
                                   ? store_into(static_cast<float*>(coefs.mutable_data()))
                                   : store_into(static_cast<double*>(coefs.mutable_data()));
  PathResult res;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    try {
      res = enet_path(gram, b, n_tasks, yy, a, n_alphas, w0, opt, checkpoint, sink);
    } catch (const PathInterrupted&) {
      interrupted = true;
    }
  }
  if (interrupted) {
    if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  py::array_t<double> gaps(res.n_done);
  std::copy(res.gaps.begin(), res.gaps.end(), gaps.mutable_data());
  py::array_t<bool> converged(res.n_done);
  std::copy(res.converged.begin(), res.converged.end(), converged.mutable_data());
  if (res.n_done < n_alphas)  // a limit stopped the path: the alphas solved, compacted
    coefs = py::array(coefs[py::make_tuple(py::ellipsis(), py::slice(0, res.n_done, 1))]
                          .attr("copy")());
  return py::make_tuple(coefs, gaps, py::cast(res.n_iter), converged);
}

}  // namespace

void register_path(py::module_& m) {
  m.def("enet_path", &enet_path_py, py::arg("gram"), py::arg("xy"), py::arg("yy"),
        py::arg("alphas"), py::arg("coef_init"), py::arg("l1_ratio"), py::arg("positive"),
        py::arg("tol"), py::arg("max_iter"), py::arg("screening") = true,
        py::arg("newton") = true, py::arg("random_order") = false, py::arg("seed") = 0,
        py::arg("float32_output") = false, py::arg("progress") = py::none(),
        py::arg("dfmax") = -1, py::arg("pmax") = -1, py::arg("l1_weight") = py::none(),
        py::arg("l2_weight") = py::none(), py::arg("lower") = py::none(),
        py::arg("upper") = py::none(),
        "Elastic-net path from a Gram source; returns (coefs[n_tasks, p, n_done] (float32 "
        "with float32_output), gaps, n_iter, converged) for the n_done alphas solved: all, "
        "unless glmnet's dfmax / pmax (negative: none) stopped the path. Statistics are "
        "normalised: xy = X^T y / n, yy = sum ||y||^2 / n. Per feature (float64, length p, "
        "or None): l1_weight and l2_weight multiply its l1 and l2 terms, lower <= w <= upper.");
}

}  // namespace shrinkage::bind
