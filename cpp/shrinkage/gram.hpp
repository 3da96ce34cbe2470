// Column access to the Gram matrix G = scale * gram (p x p, symmetric).
//
// The solver reads only the columns of features that enter its working set. A full Gram
// (computed once by syrk, or given by the user) has them all; the lazy sources compute them in
// batches when first asked for (one gemm per batch for dense X, sparse products for CSC X) and
// keep them in a cache that only grows, so memory follows the number of features that ever
// entered, not p^2.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "shrinkage/blas.hpp"

namespace shrinkage {

template <class T>
class GramColumns {
 public:
  GramColumns(int n_features, double scale) : p_(n_features), scale_(scale) {}
  virtual ~GramColumns() = default;
  GramColumns(const GramColumns&) = delete;
  GramColumns& operator=(const GramColumns&) = delete;

  int n_features() const { return p_; }
  // G = scale * gram: the stored columns are unscaled so a user's Gram is used without a copy.
  double scale() const { return scale_; }
  // The unscaled diagonal, known for every feature without computing any column.
  virtual const double* diagonal() const = 0;
  // Whether column j is available without computing anything.
  virtual bool has_column(int j) const = 0;
  // Makes the columns idx[0..count) available. Safe to call from concurrent solver threads.
  virtual void require(const int* idx, int count) = 0;
  // Unscaled column j (length p). Valid after require(); the pointer never moves.
  virtual const T* column(int j) const = 0;
  // Bytes held by computed columns (for diagnostics and benchmarks).
  virtual std::size_t cached_bytes() const = 0;

 private:
  int p_;
  double scale_;
};

// A dense p x p Gram held by the caller (symmetric, so row- and column-major are the same).
template <class T>
class FullGram final : public GramColumns<T> {
 public:
  FullGram(const T* gram, int p, double scale)
      : GramColumns<T>(p, scale), gram_(gram), diag_(static_cast<std::size_t>(p)) {
    for (int j = 0; j < p; ++j) diag_[j] = gram_[static_cast<std::size_t>(j) * p + j];
  }
  const double* diagonal() const override { return diag_.data(); }
  bool has_column(int) const override { return true; }
  void require(const int*, int) override {}
  const T* column(int j) const override {
    return gram_ + static_cast<std::size_t>(j) * this->n_features();
  }
  std::size_t cached_bytes() const override { return 0; }

 private:
  const T* gram_;
  std::vector<double> diag_;
};

// Growing column cache shared by the lazy sources: chunks of kChunk columns that never move.
// Writers hold the owner's mutex; a column is published (its slot set) only once written, so
// readers may test has() without the lock.
template <class T>
class ColumnCache {
 public:
  static constexpr int kChunk = 64;
  explicit ColumnCache(int p) : p_(p), slot_(static_cast<std::size_t>(p)) {
    for (auto& s : slot_) s.store(-1, std::memory_order_relaxed);
  }

  bool has(int j) const { return slot_[j].load(std::memory_order_acquire) >= 0; }
  const T* column(int j) const {
    const int s = slot_[j].load(std::memory_order_acquire);
    return chunks_[s / kChunk].get() + static_cast<std::size_t>(s % kChunk) * p_;
  }
  // Reserves slots for `count` new features as runs of consecutive slots within one chunk:
  // (first index into idx, length, first slot, destination), so that a batch is written by one
  // gemm per run with leading dimension p.
  struct Run {
    int first, length, slot;
    T* dest;
  };
  std::vector<Run> reserve(int count) {
    std::vector<Run> runs;
    int i = 0;
    while (i < count) {
      if (used_ % kChunk == 0)
        chunks_.emplace_back(new T[static_cast<std::size_t>(kChunk) * p_]);
      const int room = kChunk - used_ % kChunk;
      const int len = room < count - i ? room : count - i;
      T* dest = chunks_.back().get() + static_cast<std::size_t>(used_ % kChunk) * p_;
      runs.push_back({i, len, used_, dest});
      used_ += len;
      i += len;
    }
    return runs;
  }
  // Makes a written run visible to readers.
  void publish(const int* idx, const Run& run) {
    for (int r = 0; r < run.length; ++r)
      slot_[idx[run.first + r]].store(run.slot + r, std::memory_order_release);
  }
  std::size_t bytes() const { return chunks_.size() * sizeof(T) * kChunk * p_; }

 private:
  int p_;
  int used_ = 0;
  std::vector<std::atomic<int>> slot_;
  std::vector<std::unique_ptr<T[]>> chunks_;
};

// Columns of X^T X for dense X (n x p, C or Fortran order), one gemm per batch.
template <class T>
class DenseLazyGram final : public GramColumns<T> {
 public:
  DenseLazyGram(const T* x, int n, int p, bool fortran_order, const double* sq_norms, double scale)
      : GramColumns<T>(p, scale), x_(x), n_(n), fortran_(fortran_order),
        diag_(sq_norms, sq_norms + p), cache_(p) {}

  const double* diagonal() const override { return diag_.data(); }
  bool has_column(int j) const override { return cache_.has(j); }
  const T* column(int j) const override { return cache_.column(j); }
  std::size_t cached_bytes() const override { return cache_.bytes(); }

  void require(const int* idx, int count) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> missing;
    for (int i = 0; i < count; ++i)
      if (!cache_.has(idx[i])) missing.push_back(idx[i]);
    if (missing.empty()) return;
    const int p = this->n_features();
    for (const auto& run : cache_.reserve(static_cast<int>(missing.size()))) {
      // Gather the run's columns of X (n x len), then G[:, run] = X^T X[:, run].
      gathered_.resize(static_cast<std::size_t>(n_) * run.length);
      for (int r = 0; r < run.length; ++r) {
        const int j = missing[run.first + r];
        T* out = gathered_.data() + static_cast<std::size_t>(r) * n_;
        if (fortran_) {
          std::memcpy(out, x_ + static_cast<std::size_t>(j) * n_, sizeof(T) * n_);
        } else {
          for (int i = 0; i < n_; ++i) out[i] = x_[static_cast<std::size_t>(i) * p + j];
        }
      }
      if (fortran_)
        blas::gemm('T', 'N', p, run.length, n_, T(1), x_, n_, gathered_.data(), n_, T(0),
                   run.dest, p);
      else
        blas::gemm('N', 'N', p, run.length, n_, T(1), x_, p, gathered_.data(), n_, T(0),
                   run.dest, p);
      cache_.publish(missing.data(), run);
    }
  }

 private:
  const T* x_;
  int n_;
  bool fortran_;
  std::vector<double> diag_;
  ColumnCache<T> cache_;
  std::vector<T> gathered_;
  std::mutex mutex_;
};

// Columns of X^T X for CSC X: each batch of columns is scattered into a dense n x B block once,
// then every column of X is dotted against it; X is never densified.
template <class T>
class SparseLazyGram final : public GramColumns<T> {
 public:
  SparseLazyGram(const std::int64_t* indptr, const std::int32_t* indices, const T* data, int n,
                 int p, const double* sq_norms, double scale)
      : GramColumns<T>(p, scale), indptr_(indptr), indices_(indices), data_(data), n_(n),
        diag_(sq_norms, sq_norms + p), cache_(p) {}

  const double* diagonal() const override { return diag_.data(); }
  bool has_column(int j) const override { return cache_.has(j); }
  const T* column(int j) const override { return cache_.column(j); }
  std::size_t cached_bytes() const override { return cache_.bytes(); }

  void require(const int* idx, int count) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<int> missing;
    for (int i = 0; i < count; ++i)
      if (!cache_.has(idx[i])) missing.push_back(idx[i]);
    if (missing.empty()) return;
    const int p = this->n_features();
    for (const auto& run : cache_.reserve(static_cast<int>(missing.size()))) {
      const int b = run.length;
      dense_.assign(static_cast<std::size_t>(n_) * b, T(0));  // row-major n x b
      for (int r = 0; r < b; ++r) {
        const int j = missing[run.first + r];
        for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e)
          dense_[static_cast<std::size_t>(indices_[e]) * b + r] = data_[e];
      }
      std::vector<double> acc(static_cast<std::size_t>(b));
      for (int k = 0; k < p; ++k) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::int64_t e = indptr_[k]; e < indptr_[k + 1]; ++e) {
          const double v = data_[e];
          const T* row = dense_.data() + static_cast<std::size_t>(indices_[e]) * b;
          for (int r = 0; r < b; ++r) acc[r] += v * row[r];
        }
        for (int r = 0; r < b; ++r) run.dest[static_cast<std::size_t>(r) * p + k] = T(acc[r]);
      }
      cache_.publish(missing.data(), run);
    }
  }

 private:
  const std::int64_t* indptr_;
  const std::int32_t* indices_;
  const T* data_;
  int n_;
  std::vector<double> diag_;
  ColumnCache<T> cache_;
  std::vector<T> dense_;
  std::mutex mutex_;
};

// Copies the lower triangle of a column-major p x p matrix into its upper triangle, in tiles
// so that both the reads and the strided writes stay in cache.
template <class T>
void mirror_lower(T* a, int p) {
  constexpr int kTile = 64;
  const std::size_t ld = static_cast<std::size_t>(p);
  for (int jb = 0; jb < p; jb += kTile)
    for (int ib = jb; ib < p; ib += kTile)
      for (int j = jb; j < std::min(jb + kTile, p); ++j)
        for (int i = std::max(ib, j + 1); i < std::min(ib + kTile, p); ++i)
          a[i * ld + j] = a[j * ld + i];
}

// G = X^T X (lower triangle by syrk, mirrored) for dense X in either order; out is p x p.
template <class T>
void dense_gram(const T* x, int n, int p, bool fortran_order, T* out) {
  if (fortran_order)
    blas::syrk('T', p, n, T(1), x, n, T(0), out, p);
  else
    blas::syrk('N', p, n, T(1), x, p, T(0), out, p);
  mirror_lower(out, p);
}

// X^T Y (p x k, column-major) for dense X (n x p, either order) and Y (n x k, column-major).
template <class T>
void cross_product(const T* x, int n, int p, bool fortran_order, const T* y, int k, T* out) {
  if (fortran_order)
    blas::gemm('T', 'N', p, k, n, T(1), x, n, y, n, T(0), out, p);
  else
    blas::gemm('N', 'N', p, k, n, T(1), x, p, y, n, T(0), out, p);
}

}  // namespace shrinkage
