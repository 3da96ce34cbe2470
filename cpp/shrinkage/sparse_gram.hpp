// Columns of X^T X for CSC X, computed for the features that enter, in batches, into a cache
// that only grows: memory follows the number of features that ever entered, not p^2. With row
// weights s and column centres m (the intercept-fitted, weighted problem) the columns are those
// of (X - 1 m^T)^T S (X - 1 m^T) = X^T S X - W m m^T, W = sum s, so X stays sparse.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "shrinkage/gram_source.hpp"

namespace shrinkage {

// Chunks of kChunk columns that never move, their pointers in a table sized for all p
// features up front (so it never reallocates under a reader). Writers hold the owner's mutex;
// a column is published (its slot set, with release) only once written, so readers need no
// lock: the acquire of the slot orders the chunk pointer and the column's entries before them.
class ColumnCache {
 public:
  static constexpr int kChunk = 64;
  explicit ColumnCache(int p);

  bool has(int j) const { return slot_[j].load(std::memory_order_acquire) >= 0; }
  const double* column(int j) const {
    const int s = slot_[j].load(std::memory_order_acquire);
    return chunks_[s / kChunk].get() + static_cast<std::size_t>(s % kChunk) * p_;
  }
  // Reserves slots for `count` new features as runs of consecutive slots within one chunk:
  // (first index into idx, length, first slot, destination), so that a batch is written with
  // leading dimension p.
  struct Run {
    int first, length, slot;
    double* dest;
  };
  std::vector<Run> reserve(int count);
  // Makes a written run visible to readers.
  void publish(const int* idx, const Run& run);
  std::size_t bytes() const;

 private:
  int p_;
  int used_ = 0;
  std::vector<std::atomic<int>> slot_;
  std::vector<std::unique_ptr<double[]>> chunks_;  // sized once; entries set under the lock
};

class SparseLazyGram final : public GramColumns {
 public:
  // Checks the CSC structure (indptr non-decreasing from 0 to nnz, row indices in [0, n)) once,
  // so that no kernel reads or writes out of bounds on a corrupted matrix.
  SparseLazyGram(const std::int64_t* indptr, const std::int32_t* indices, const double* data,
                 int n, int p, std::int64_t nnz, const double* sq_norms, double scale,
                 const double* weights = nullptr, const double* offsets = nullptr,
                 double weight_sum = 0.0);

  const double* diagonal() const override { return diag_.data(); }
  const double* column(int j) const override { return cache_.column(j); }
  std::size_t cached_bytes() const override { return cache_.bytes(); }
  void require(const int* idx, int count) override;

 private:
  const std::int64_t* indptr_;
  const std::int32_t* indices_;
  const double* data_;
  int n_;
  std::vector<double> diag_;
  std::vector<double> weight_;
  std::vector<double> offset_;
  double weight_sum_;
  ColumnCache cache_;
  std::vector<double> dense_;  // a batch's columns scattered to rows (under the mutex)
  std::mutex mutex_;
};

}  // namespace shrinkage
