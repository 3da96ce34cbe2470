// A dense p x p Gram held by the caller (symmetric, so row- and column-major are the same).
#pragma once

#include <vector>

#include "shrinkage/gram_source.hpp"

namespace shrinkage {

class FullGram final : public GramColumns {
 public:
  FullGram(const double* gram, int p, double scale)
      : GramColumns(p, scale), gram_(gram), diag_(static_cast<std::size_t>(p)) {
    for (int j = 0; j < p; ++j) diag_[j] = gram_[static_cast<std::size_t>(j) * p + j];
  }
  const double* diagonal() const override { return diag_.data(); }
  void require(const int*, int) override {}
  const double* column(int j) const override {
    return gram_ + static_cast<std::size_t>(j) * n_features();
  }

 protected:
  bool all_cheap() const override { return true; }

 private:
  const double* gram_;
  std::vector<double> diag_;
};

}  // namespace shrinkage
