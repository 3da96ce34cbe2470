// X itself, beside the Gram view a path solves on: what a datafit other than the squared loss
// needs of it. Its linear predictor X w, its gradient X^T r, and, for each quadratic model of
// an IRLS (proximal Newton) step, new row weights and column centres, after which the Gram
// view is that model's. One class per data representation: dense_design.hpp, sparse_design.hpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

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
  // out = X^T U (p x k, column-major) of the raw X for U (n x k, column-major): k vectors in
  // one pass over X.
  virtual void transposed_times(const double* u, int k, double* out) const = 0;
  // The given columns of X as a design of their own, holding its own copy of them (a
  // working set's problem), unweighted and uncentred, of the same scale.
  virtual std::unique_ptr<Design> columns(const std::vector<int>& features) const = 0;
  // The design of a quadratic model (an IRLS step): reweights to `weights` (n), centred at
  // their weighted column means when `centred` (written to `centres`, p entries), and
  // returns b = X^T u (p) for a sample-space vector u. Here in two passes over X (the
  // products, then the diagonal); a representation may fuse them.
  virtual void reweight_for_model(const double* weights, bool centred, const double* u,
                                  double* b, double* centres) {
    const int n = n_samples(), p = n_features();
    std::vector<double> columns(u, u + n), products(static_cast<std::size_t>(p) * 2);
    double total = 0;
    if (centred) {
      columns.insert(columns.end(), weights, weights + n);
      for (int i = 0; i < n; ++i) total += weights[i];
    }
    transposed_times(columns.data(), centred ? 2 : 1, products.data());
    std::copy(products.begin(), products.begin() + p, b);
    if (centred)
      for (int j = 0; j < p; ++j) centres[j] = products[p + j] / total;
    reweight(weights, centred ? centres : nullptr);
  }
};

}  // namespace shrinkage
