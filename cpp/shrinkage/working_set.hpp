// The working set W: which features the block solver sweeps, in a stable order, and the packed
// Gram block G[W, W] (scaled, double). Features keep their place as others leave and new ones
// are appended, so the block is compacted in place and only new rows and columns are gathered
// from the source.
#pragma once

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "shrinkage/block.hpp"
#include "shrinkage/gram_source.hpp"

namespace shrinkage {

class WorkingSet {
 public:
  explicit WorkingSet(int p) : member_(static_cast<std::size_t>(p), 0) {}

  const std::vector<int>& features() const { return features_; }
  int size() const { return static_cast<int>(features_.size()); }
  bool contains(int j) const { return member_[j] != 0; }

  void admit(int j) {
    if (member_[j]) return;
    member_[j] = 1;
    features_.push_back(j);
  }
  // Admits the `cap` highest-scored of the (score, feature) pairs (reordering them).
  void admit_best(std::vector<std::pair<double, int>>& scored, std::size_t cap) {
    if (scored.size() > cap) {
      std::nth_element(scored.begin(), scored.begin() + cap, scored.end(), std::greater<>());
      scored.resize(cap);
    }
    for (const auto& v : scored) admit(v.second);
  }

  // Keeps the features for which keep(j) holds, in their order, compacting the packed block in
  // place (a few copies instead of gathering it again).
  template <class Keep>
  void keep_if(Keep&& keep) {
    const int m = size();
    kept_.clear();
    for (int i = 0; i < m; ++i) {
      if (keep(features_[i]))
        kept_.push_back(i);
      else
        member_[features_[i]] = 0;
    }
    const int kept = static_cast<int>(kept_.size());
    if (kept == m) return;
    const std::size_t ld = static_cast<std::size_t>(ld_);
    const int packed = std::min(packed_, m);
    int new_packed = 0;
    for (int k = 0; k < kept; ++k) {
      features_[k] = features_[kept_[k]];
      if (kept_[k] < packed) {  // indices only move down, so in-place copies are safe
        for (int i = 0; i < kept && kept_[i] < packed; ++i)
          H_[k * ld + i] = H_[kept_[k] * ld + kept_[i]];
        new_packed = k + 1;
      }
    }
    features_.resize(kept);
    packed_ = new_packed;
  }

  // Packs G[W, W]: the rows and columns of features admitted since the last call are filled by
  // the source, the rest is kept.
  BlockView pack(GramSource& gram, SourceScratch& scratch) {
    const int m = size();
    if (m > ld_) {  // grow the storage, keeping the packed columns (each cost O(n m) to make)
      const int ld = std::max(m, 2 * ld_);
      std::vector<double> grown(static_cast<std::size_t>(ld) * ld, 0.0);
      for (int k = 0; k < packed_; ++k)
        std::copy_n(H_.begin() + std::size_t(k) * ld_, packed_, grown.begin() + std::size_t(k) * ld);
      H_.swap(grown);
      ld_ = ld;
    }
    const std::size_t ld = static_cast<std::size_t>(ld_);
    gram.fill_block(features_.data(), m, packed_, H_.data(), ld_, scratch);
    for (int k = 0; k < packed_; ++k)
      for (int i = packed_; i < m; ++i) H_[k * ld + i] = H_[i * ld + k];
    packed_ = m;
    return view();
  }
  BlockView view() const { return {size(), H_.data(), ld_, features_.data()}; }

 private:
  std::vector<char> member_;
  std::vector<int> features_;
  std::vector<int> kept_;  // keep_if's positions of the kept features
  std::vector<double> H_;  // G[W, W], leading dimension ld_; the first packed_ rows/columns valid
  int packed_ = 0, ld_ = 0;
};

}  // namespace shrinkage
