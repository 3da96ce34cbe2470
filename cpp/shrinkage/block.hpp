// The working set's problem as the block solver and the Newton steps see it: the packed Gram
// block H = G[W, W] and the slices of w, q = b - G w and b on W.
#pragma once

#include <cstddef>
#include <vector>

#include "shrinkage/path_types.hpp"

namespace shrinkage {

class FreeFeatures;

// w, q and b on W: m x n_tasks, column-major (leading dimension m); the rows' Coordinates
// when the penalty's differ between features; with free features (free_features.hpp), each
// row's place among them (or -1) and the block's Gram diagonal.
struct BlockPoint {
  int m = 0, n_tasks = 1;
  std::vector<double> w, q, b;
  std::vector<Coordinate> coords;
  const FreeFeatures* free_features = nullptr;
  std::vector<int> free_slot;
  std::vector<double> diag;

  std::size_t at(int i, int t) const { return static_cast<std::size_t>(t) * m + i; }
  bool row_nonzero(int i) const {
    for (int t = 0; t < n_tasks; ++t)
      if (w[at(i, t)] != 0.0) return true;
    return false;
  }
  bool any_nonzero() const {
    for (double v : w)
      if (v != 0.0) return true;
    return false;
  }
};

}  // namespace shrinkage
