#include "shrinkage/sparse_gram.hpp"

#include <algorithm>
#include <stdexcept>

namespace shrinkage {

ColumnCache::ColumnCache(int p)
    : p_(p), slot_(static_cast<std::size_t>(p)),
      chunks_(static_cast<std::size_t>((p + kChunk - 1) / kChunk)) {
  for (auto& s : slot_) s.store(-1, std::memory_order_relaxed);
}

std::vector<ColumnCache::Run> ColumnCache::reserve(int count) {
  std::vector<Run> runs;
  int i = 0;
  while (i < count) {
    const int chunk = used_ / kChunk;
    if (used_ % kChunk == 0)
      chunks_[chunk].reset(new double[static_cast<std::size_t>(kChunk) * p_]);
    const int room = kChunk - used_ % kChunk;
    const int len = std::min(room, count - i);
    double* dest = chunks_[chunk].get() + static_cast<std::size_t>(used_ % kChunk) * p_;
    runs.push_back({i, len, used_, dest});
    used_ += len;
    i += len;
  }
  return runs;
}

void ColumnCache::publish(const int* idx, const Run& run) {
  for (int r = 0; r < run.length; ++r)
    slot_[idx[run.first + r]].store(run.slot + r, std::memory_order_release);
}

std::size_t ColumnCache::bytes() const {
  std::size_t allocated = 0;
  for (const auto& c : chunks_) allocated += c != nullptr;
  return allocated * sizeof(double) * kChunk * p_;
}

SparseLazyGram::SparseLazyGram(const std::int64_t* indptr, const std::int32_t* indices,
                               const double* data, int n, int p, std::int64_t nnz,
                               const double* sq_norms, double scale, const double* weights,
                               const double* offsets, double weight_sum)
    : GramColumns(p, scale), indptr_(indptr), indices_(indices), data_(data), n_(n),
      diag_(sq_norms, sq_norms + p),
      weight_(weights ? std::vector<double>(weights, weights + n) : std::vector<double>()),
      offset_(offsets ? std::vector<double>(offsets, offsets + p) : std::vector<double>()),
      weight_sum_(weight_sum), cache_(p) {
  if (indptr_[0] != 0 || indptr_[p] != nnz)
    throw std::invalid_argument("sparse X: indptr must run from 0 to nnz");
  for (int j = 0; j < p; ++j)
    if (indptr_[j + 1] < indptr_[j])
      throw std::invalid_argument("sparse X: indptr must be non-decreasing");
  for (std::int64_t e = 0; e < nnz; ++e)
    if (indices_[e] < 0 || indices_[e] >= n)
      throw std::invalid_argument("sparse X: a row index is out of range [0, n_samples)");
}

void SparseLazyGram::require(const int* idx, int count) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<int> missing;
  for (int i = 0; i < count; ++i)
    if (!cache_.has(idx[i])) missing.push_back(idx[i]);
  if (missing.empty()) return;
  const int p = n_features();
  for (const auto& run : cache_.reserve(static_cast<int>(missing.size()))) {
    const int b = run.length;
    dense_.assign(static_cast<std::size_t>(n_) * b, 0.0);  // row-major n x b
    for (int r = 0; r < b; ++r) {
      const int j = missing[run.first + r];
      for (std::int64_t e = indptr_[j]; e < indptr_[j + 1]; ++e) {
        const double s = weight_.empty() ? 1.0 : weight_[indices_[e]];
        dense_[static_cast<std::size_t>(indices_[e]) * b + r] += s * data_[e];
      }
    }
    std::vector<double> acc(static_cast<std::size_t>(b));
    for (int k = 0; k < p; ++k) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (std::int64_t e = indptr_[k]; e < indptr_[k + 1]; ++e) {
        const double v = data_[e];
        const double* row = dense_.data() + static_cast<std::size_t>(indices_[e]) * b;
        for (int r = 0; r < b; ++r) acc[r] += v * row[r];
      }
      if (!offset_.empty())
        for (int r = 0; r < b; ++r)
          acc[r] -= weight_sum_ * offset_[k] * offset_[missing[run.first + r]];
      for (int r = 0; r < b; ++r) run.dest[static_cast<std::size_t>(r) * p + k] = acc[r];
    }
    cache_.publish(missing.data(), run);
  }
}

}  // namespace shrinkage
