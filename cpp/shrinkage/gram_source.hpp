// The Gram matrix G = scale * X^T X as the path solver sees it: the block of its working set
// and the gradient b - G w for all features. One class per data representation implements it:
// a full Gram (full_gram.hpp), wide dense X (dense_design.hpp) and sparse X (sparse_design.hpp),
// the last two never forming a Gram column.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "shrinkage/working_columns.hpp"

namespace shrinkage {

// A path's workspace for its source, kept between calls: sources are shared by concurrent
// paths and hold no per-path state.
struct SourceScratch {
  // Wide dense X: the working set's design columns (n_samples each) and their features, in
  // working-set order, so each column is gathered from X once while it stays in the set.
  std::vector<double> columns;
  std::vector<int> features;
  std::vector<int> column_slot;  // each feature's place in `features`, or -1 (length p)
  std::vector<char> wanted;      // gather's marks of the requested features (length p, zero)
  unsigned weighting = 0;        // the design's weighting the columns were gathered under
  // Wide dense X: what X^T multiplied in the last bounded gradient, its sum (for the column
  // centres) and its float32 vectors.
  std::vector<double> residual_fit;
  double residual_sum = 0;
  std::vector<float> fit32, product32;
  // Sparse X: one Gram column being accumulated (length p, zero between uses).
  std::vector<double> gram_column;
};

class GramSource {
 public:
  GramSource(int n_features, double scale) : p_(n_features), scale_(scale) {}
  virtual ~GramSource() = default;
  GramSource(const GramSource&) = delete;
  GramSource& operator=(const GramSource&) = delete;

  int n_features() const { return p_; }
  // The stored statistics are unscaled, so a user's Gram is used without a copy.
  double scale() const { return scale_; }
  // The unscaled diagonal, known for every feature up front.
  virtual const double* diagonal() const = 0;
  // Whether feature j can join this path's working set without new O(n p) work.
  virtual bool is_cheap(int j, const SourceScratch& scratch) const = 0;
  // Fills columns [first, m) of the block H = G[ws, ws] (m rows, leading dimension ldh).
  virtual void fill_block(const int* ws, int m, int first, double* H, int ldh,
                          SourceScratch& scratch) = 0;
  // q = b - G w for all p features and n_tasks columns (p x n_tasks, column-major), where w is
  // zero outside `support`.
  virtual void gradient(const double* b, const double* w, int n_tasks,
                        const std::vector<int>& support, double* q, SourceScratch& scratch) = 0;
  // Optional cheaper gradient, one target: q = b - G w to within err[j] >= 0 for each feature,
  // exact (err[j] = 0) for the features in `exact`. Returns false (and does nothing) if the
  // source has no pass cheaper than the exact gradient.
  virtual bool bounded_gradient(const double* b, const double* w, const std::vector<int>& support,
                                const std::vector<int>& exact, double* q, double* err,
                                SourceScratch& scratch) {
    return false;
  }
  // Whether the source has X's columns for the residual-form solver (sparse and dense X).
  virtual bool has_columns() const { return false; }
  // X_W for the residual-form solver, valid until the next call with this scratch (only where
  // has_columns()).
  virtual WorkingColumns working_columns(const int* ws, int m, SourceScratch& scratch) {
    return {};
  }
  // Makes exact the given entries of the last bounded_gradient (w unchanged since).
  virtual void make_exact(const double* b, const std::vector<int>& features, double* q,
                          double* err, SourceScratch& scratch) {}

 private:
  int p_;
  double scale_;
};

// The entries of a bounded gradient that are not exact and whose bound reaches its feature's
// threshold(j).
template <class Threshold>
void bound_reaches(Threshold&& threshold, const double* q, const double* err, int p,
                   std::vector<int>& out) {
  out.clear();
  for (int j = 0; j < p; ++j)
    if (err[j] > 0.0 && std::fabs(q[j]) + err[j] >= threshold(j)) out.push_back(j);
}

}  // namespace shrinkage
