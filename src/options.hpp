// What every path binding shares: the options object (PathOptions and the per-feature terms,
// bound as classes in register_path.cpp), the Python checkpoint, and running a path with the
// GIL released.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "shrinkage/path_types.hpp"

namespace shrinkage::bind {

// glmnet's per-feature terms (python/shrinkage/_feature_terms.py) as float64 arrays of length p,
// checked and packed into the solver's Coordinates once, so the paths of a cross-validation
// share them. Immutable: the arrays it returns are copies.
class PackedFeatureTerms {
 public:
  PackedFeatureTerms(const py::array& l1_weight, const py::array& l2_weight,
                     const py::array& lower, const py::array& upper)
      : p_(checked_int(l1_weight.size(), "n_features")) {
    const auto column = [this](const py::array& a, const char* name) {
      if (a.ndim() != 1 || a.shape(0) != p_)
        throw std::invalid_argument(std::string(name) + " must have n_features entries");
      const double* d = data_of<double>(a, name);
      return std::vector<double>(d, d + p_);
    };
    const auto a1 = column(l1_weight, "l1_weight"), a2 = column(l2_weight, "l2_weight");
    const auto lo = column(lower, "lower"), hi = column(upper, "upper");
    coordinates_.resize(p_);
    for (int j = 0; j < p_; ++j) {
      Coordinate& k = coordinates_[j];
      k = {a1[j], a2[j], lo[j], hi[j]};
      if (!(k.lo <= 0.0 && k.hi >= 0.0 && k.a >= 0.0 && k.e >= 0.0))
        throw std::invalid_argument("feature terms need weights >= 0 and lower <= 0 <= upper");
    }
  }
  int n_features() const { return p_; }
  const std::vector<Coordinate>& coordinates() const { return coordinates_; }
  py::array_t<double> field(double Coordinate::*member) const {
    py::array_t<double> out(p_);
    for (int j = 0; j < p_; ++j) out.mutable_data()[j] = coordinates_[j].*member;
    return out;
  }

 private:
  int p_;
  std::vector<Coordinate> coordinates_;
};

// PathOptions as Python sees it: the scalar options, and the per-feature terms (or None).
struct BoundOptions {
  PathOptions options;
  std::shared_ptr<PackedFeatureTerms> features;
};

// The options a path runs with: the per-feature terms checked against p, with positive's
// lower bound applied (owned here; opt.features points into them).
struct ResolvedOptions {
  ResolvedOptions(const BoundOptions& bound, int p, int n_tasks) : options(bound.options) {
    if (!bound.features) return;
    if (bound.features->n_features() != p)
      throw std::invalid_argument("the feature terms must have n_features entries");
    if (n_tasks > 1) throw std::invalid_argument("per-feature penalty terms take one target");
    coordinates = bound.features->coordinates();
    bool finite_bounds = false;
    for (Coordinate& k : coordinates) {
      if (options.positive) k.lo = 0.0;
      finite_bounds |= std::isfinite(k.lo) || std::isfinite(k.hi);
    }
    options.features = {coordinates.data(), finite_bounds};
  }
  ResolvedOptions(const ResolvedOptions&) = delete;
  ResolvedOptions& operator=(const ResolvedOptions&) = delete;

  PathOptions options;
  std::vector<Coordinate> coordinates;
};

// Reacquires the GIL to run pending signal handlers (Ctrl-C) and the Python progress hook;
// an exception there stays set in this thread and stops the path.
inline Checkpoint python_checkpoint(const py::object& progress) {
  return [&progress](int alphas_done) {
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
}

// Runs path() with the GIL released; an interrupted path raises the pending Python error (a
// KeyboardInterrupt unless the progress hook raised another).
template <class Path>
auto run_interruptible(Path&& path) -> decltype(path()) {
  decltype(path()) result;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    try {
      result = path();
    } catch (const PathInterrupted&) {
      interrupted = true;
    }
  }
  if (interrupted) {
    if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  return result;
}

}  // namespace shrinkage::bind
