// X itself, beside the Gram view a path solves on: what a datafit other than the squared loss
// needs of it. Its linear predictor X w, its gradient X^T r, and, for each quadratic model of
// an IRLS (proximal Newton) step, new row weights and column centres, after which the Gram
// view is that model's. One class per data representation: dense_design.hpp, sparse_design.hpp.
#pragma once

#include "shrinkage/gram_source.hpp"

namespace shrinkage {

class Design : public GramSource {
 public:
  using GramSource::GramSource;
  virtual int n_samples() const = 0;
  // New row weights s (n, or null: all 1) and column centres m (p, or null: none): the Gram
  // view becomes (X - 1 m^T)^T S (X - 1 m^T) times the scale. Not while a path reads it.
  virtual void reweight(const double* weights, const double* offsets) = 0;
  // out = X w (n entries) of the raw X: neither weighted nor centred.
  virtual void times(const double* w, double* out) const = 0;
  // out = X^T u (p entries) of the raw X.
  virtual void transposed_times(const double* u, double* out) const = 0;
};

}  // namespace shrinkage
