// The elastic-net path: runs with the GIL released, polls Ctrl-C through a checkpoint.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
#include <type_traits>

#include "arrays.hpp"
#include "options.hpp"
#include "shrinkage/enet_path.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

py::tuple enet_path_py(GramSource& gram, const py::array& xy, double yy,
                       const py::array& alphas, const py::object& coef_init,
                       const BoundOptions& bound, const py::object& progress) {
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
  const ResolvedOptions resolved(bound, p, n_tasks);
  const PathOptions& opt = resolved.options;
  const bool float32_output = opt.float32_output;
  const Checkpoint checkpoint = python_checkpoint(progress);

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
  const PathResult res = run_interruptible(
      [&] { return enet_path(gram, b, n_tasks, yy, a, n_alphas, w0, opt, checkpoint, sink); });
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
  py::class_<PackedFeatureTerms, std::shared_ptr<PackedFeatureTerms>>(
      m, "FeatureTerms",
      "Per-feature terms of a path, float64 arrays of length p: l1_weight and l2_weight "
      "multiply a feature's l1 and l2 terms, lower <= w <= upper. Checked and packed once.")
      .def(py::init<const py::array&, const py::array&, const py::array&, const py::array&>(),
           py::arg("l1_weight"), py::arg("l2_weight"), py::arg("lower"), py::arg("upper"))
      .def_property_readonly("l1_weight",
                             [](const PackedFeatureTerms& t) { return t.field(&Coordinate::a); })
      .def_property_readonly("l2_weight",
                             [](const PackedFeatureTerms& t) { return t.field(&Coordinate::e); })
      .def_property_readonly("lower",
                             [](const PackedFeatureTerms& t) { return t.field(&Coordinate::lo); })
      .def_property_readonly("upper",
                             [](const PackedFeatureTerms& t) { return t.field(&Coordinate::hi); })
      .def(py::pickle(
          [](const PackedFeatureTerms& t) {
            return py::make_tuple(t.field(&Coordinate::a), t.field(&Coordinate::e),
                                  t.field(&Coordinate::lo), t.field(&Coordinate::hi));
          },
          [](const py::tuple& s) {
            return std::make_shared<PackedFeatureTerms>(
                s[0].cast<py::array>(), s[1].cast<py::array>(), s[2].cast<py::array>(),
                s[3].cast<py::array>());
          }));

  // Every option a path takes, in one object, each named once here (the list below): made
  // from keywords, changed by replace() into a copy, pickled as a dict of them.
  auto options = py::class_<BoundOptions>(m, "PathOptions",
                                          "The options of the compiled path solver.");
#define SHRINKAGE_PATH_OPTIONS(X)                                                   \
  X(l1_ratio, "The l1 share of the elastic-net penalty.")                           \
  X(positive, "Coefficients constrained to be >= 0.")                               \
  X(tol, "Converged when the duality gap <= tol * yy.")                             \
  X(max_iter, "Epochs per alpha.")                                                  \
  X(screening, "Gap-safe screening.")                                               \
  X(newton, "Newton steps on a stable support.")                                    \
  X(random_order, "Coordinates in random order (scikit-learn's selection).")        \
  X(seed, "The random order's seed.")                                               \
  X(float32_output, "Coefficients returned, and certified, in float32.")            \
  X(dfmax, "glmnet's dfmax: stop after more non-zero features (negative: none).")   \
  X(pmax, "glmnet's pmax: stop before more features ever non-zero (negative: none).")
#define SHRINKAGE_PROPERTY(name, doc)                                               \
  options.def_property(                                                             \
      #name, [](const BoundOptions& b) { return b.options.name; },                  \
      [](BoundOptions& b, decltype(PathOptions::name) v) { b.options.name = v; }, doc);
  SHRINKAGE_PATH_OPTIONS(SHRINKAGE_PROPERTY)
#undef SHRINKAGE_PROPERTY
  options.def_readwrite("features", &BoundOptions::features,
                        "The per-feature terms (FeatureTerms), or None.");
  // Keywords set as attributes: an unknown name is an AttributeError, a wrong type a
  // TypeError.
  const auto with = [](BoundOptions b, const py::dict& changes) {
    py::object out = py::cast(std::move(b));
    for (const auto& [name, value] : changes) out.attr(name) = value;
    return out;
  };
  options.def(py::init([with](const py::kwargs& given) {
                return with(BoundOptions{}, given).cast<BoundOptions>();
              }),
              "PathOptions(**options): the defaults, with the given options set.");
  options.def(
      "replace",
      [with](const BoundOptions& b, const py::kwargs& changes) { return with(b, changes); },
      "A copy with the given options changed.");
  options.def(py::pickle(
      [](const py::object& self) {
        py::dict state;
#define SHRINKAGE_STATE(name, doc) state[#name] = self.attr(#name);
        SHRINKAGE_PATH_OPTIONS(SHRINKAGE_STATE)
#undef SHRINKAGE_STATE
        state["features"] = self.attr("features");
        return state;
      },
      [with](const py::dict& state) { return with(BoundOptions{}, state).cast<BoundOptions>(); }));
#undef SHRINKAGE_PATH_OPTIONS

  m.def("enet_path", &enet_path_py, py::arg("gram"), py::arg("xy"), py::arg("yy"),
        py::arg("alphas"), py::arg("coef_init"), py::arg("options"),
        py::arg("progress") = py::none(),
        "Elastic-net path from a Gram source; returns (coefs[n_tasks, p, n_done] (float32 "
        "with options.float32_output), gaps, n_iter, converged) for the n_done alphas solved: "
        "all, unless glmnet's dfmax / pmax stopped the path. Statistics are normalised: "
        "xy = X^T y / n, yy = sum ||y||^2 / n.");
}

}  // namespace shrinkage::bind
