// The binomial family's path on a Design: runs with the GIL released, polls Ctrl-C through a
// checkpoint, and returns each alpha's coefficients straight into the returned array.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <vector>

#include "arrays.hpp"
#include "options.hpp"
#include "shrinkage/binomial_path.hpp"

namespace py = pybind11;

namespace shrinkage::bind {

namespace {

struct BinomialInputs {
  BinomialInputs(Design& design, const py::array& y, const py::object& weights,
                 const py::object& offsets, bool fit_intercept)
      : data{design, nullptr, nullptr, nullptr, fit_intercept} {
    const int n = design.n_samples();
    if (y.size() != n) throw std::invalid_argument("y: wrong length");
    data.y = data_of<double>(y, "y");
    data.weights = optional_data(weights, "sample_weight", n);
    data.offsets = optional_data(offsets, "offset", n);
  }
  BinomialData data;
};

py::tuple binomial_null_py(Design& design, const py::array& y, const py::object& weights,
                           const py::object& offsets, bool fit_intercept) {
  const BinomialInputs in(design, y, weights, offsets, fit_intercept);
  BinomialNull null;
  {
    py::gil_scoped_release release;
    null = binomial_null(in.data);
  }
  return py::make_tuple(null.intercept, null.value, null.saturated,
                        py::array_t<double>(null.correlations.size(), null.correlations.data()));
}

py::dict binomial_path_py(Design& design, const py::array& y, const py::object& weights,
                          const py::object& offsets, bool fit_intercept, const py::array& alphas,
                          const py::object& coef_init, double intercept_init,
                          const BoundOptions& bound, const py::dict& controls,
                          const py::object& progress) {
  const BinomialInputs in(design, y, weights, offsets, fit_intercept);
  const int p = design.n_features();
  const double* a = data_of<double>(alphas, "alphas");
  const int n_alphas = checked_int(alphas.size(), "n_alphas");
  const double* w0 = nullptr;
  if (!coef_init.is_none()) {
    const auto init = coef_init.cast<py::array>();
    if (init.size() != p) throw std::invalid_argument("coef_init must have n_features entries");
    w0 = data_of<double>(init, "coef_init");
  }
  BinomialControls ctl;
  for (const auto& [key, value] : controls) {
    const auto name = key.cast<std::string>();
    if (name == "max_newton") ctl.max_newton = value.cast<int>();
    else if (name == "devmax") ctl.devmax = value.cast<double>();
    else if (name == "fdev") ctl.fdev = value.cast<double>();
    else if (name == "min_alphas") ctl.min_alphas = value.cast<int>();
    else throw std::invalid_argument("unknown binomial control " + name);
  }
  const ResolvedOptions resolved(bound, p, 1);
  const Checkpoint checkpoint = python_checkpoint(progress);
  py::array_t<double> coefs = py::module_::import("numpy").attr("zeros")(
      py::make_tuple(p, n_alphas));
  double* out = coefs.mutable_data();
  const CoefficientSink sink = [out, p, n_alphas](int k, const double* w) {
    for (int j = 0; j < p; ++j)
      if (w[j] != 0.0) out[static_cast<std::size_t>(j) * n_alphas + k] = w[j];
  };
  const BinomialPathResult res = run_interruptible([&] {
    return binomial_path(in.data, a, n_alphas, w0, intercept_init, resolved.options, ctl,
                         checkpoint, sink);
  });
  const auto array = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return py::array_t<T>(v.size(), v.data());
  };
  py::dict result;
  result["coefs"] = res.n_done < n_alphas
                        ? py::array(coefs[py::make_tuple(py::ellipsis(),
                                                         py::slice(0, res.n_done, 1))]
                                        .attr("copy")())
                        : py::array(coefs);
  result["intercepts"] = array(res.intercepts);
  result["gaps"] = array(res.gaps);
  result["n_iter"] = array(res.n_iter);
  std::vector<bool> converged(res.converged.begin(), res.converged.end());
  result["converged"] = py::cast(converged);
  result["deviance_ratios"] = array(res.deviance_ratios);
  result["newton_steps"] = array(res.newton_steps);
  result["tol_unit"] = res.tol_unit;
  result["residual_epochs"] = res.residual_epochs;
  return result;
}

}  // namespace

void register_binomial(py::module_& m) {
  m.def("binomial_null", &binomial_null_py, py::arg("design"), py::arg("y"),
        py::arg("sample_weight"), py::arg("offset"), py::arg("fit_intercept"),
        "The model without features: (intercept, loss, saturated loss, X^T r).");
  m.def("binomial_path", &binomial_path_py, py::arg("design"), py::arg("y"),
        py::arg("sample_weight"), py::arg("offset"), py::arg("fit_intercept"),
        py::arg("alphas"), py::arg("coef_init"), py::arg("intercept_init"), py::arg("options"),
        py::arg("controls") = py::dict(), py::arg("progress") = py::none(),
        "Binomial elastic-net path on a Design (reweighted in place while it runs): a dict "
        "of coefs (p, n_done), intercepts, gaps (mean-loss units), n_iter, converged, "
        "deviance_ratios, newton_steps, tol_unit (converged: gap <= tol * tol_unit), "
        "residual_epochs.");
}

}  // namespace shrinkage::bind
