// A dense p x p Gram held by the caller (symmetric, so row- and column-major are the same):
// every column is at hand, so any feature is cheap to admit.
#pragma once

#include <vector>

#include "shrinkage/gram_source.hpp"

namespace shrinkage {

class FullGram final : public GramSource {
 public:
  FullGram(const double* gram, int p, double scale)
      : GramSource(p, scale), gram_(gram), diag_(static_cast<std::size_t>(p)) {
    for (int j = 0; j < p; ++j) diag_[j] = gram_[static_cast<std::size_t>(j) * p + j];
  }
  const double* diagonal() const override { return diag_.data(); }
  bool is_cheap(int, const SourceScratch&) const override { return true; }
  void fill_block(const int* ws, int m, int first, double* H, int ldh,
                  SourceScratch& scratch) override;
  void gradient(const double* b, const double* w, int n_tasks, const std::vector<int>& support,
                double* q, SourceScratch& scratch) override;

 private:
  const double* column(int j) const {
    return gram_ + static_cast<std::size_t>(j) * n_features();
  }

  const double* gram_;
  std::vector<double> diag_;
};

}  // namespace shrinkage
