// The working set W: which features the block solver sweeps, and the packed Gram block
// G[W, W] (scaled, double). New features are appended and those that leave are replaced by
// others from the end, so the block is updated in place at the cost of the moved rows and
// columns, and only new rows and columns are gathered from the source.
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

  // Keeps the features for which keep(j) holds. The slots of packed features that leave are
  // filled with kept packed ones from the end of the packed region, so only the moved rows and
  // columns of the block are copied; features not yet packed follow in their order.
  template <class Keep>
  void keep_if(Keep&& keep) {
    const int m = size(), packed = std::min(packed_, m);
    kept_slot_.assign(m, 0);
    int kept = 0, kept_packed = 0;
    for (int i = 0; i < m; ++i) {
      if (keep(features_[i])) {
        kept_slot_[i] = 1;
        ++kept;
        kept_packed += i < packed;
      } else {
        member_[features_[i]] = 0;
      }
    }
    if (kept == m) return;
    source_.resize(kept);  // source_[a]: the old slot of the feature in new slot a
    holes_.clear();
    for (int a = 0, mover = kept_packed; a < kept_packed; ++a) {
      if (kept_slot_[a]) {
        source_[a] = a;
        continue;
      }
      while (!kept_slot_[mover]) ++mover;
      holes_.push_back(a);
      source_[a] = mover++;
    }
    for (int i = packed, a = kept_packed; i < m; ++i)
      if (kept_slot_[i]) source_[a++] = i;
    // Every read is of a row or column at or above kept_packed, which nothing writes.
    const std::size_t ld = static_cast<std::size_t>(ld_);
    for (int c = 0; c < kept_packed; ++c) {
      double* column = H_.data() + c * ld;
      if (kept_slot_[c]) {
        for (int a : holes_) column[a] = column[source_[a]];
      } else {
        const double* from = H_.data() + source_[c] * ld;
        for (int b = 0; b < kept_packed; ++b) column[b] = from[source_[b]];
      }
    }
    // In place: a hole reads a slot at or above kept_packed before any of those is written,
    // and every later slot reads one at or after itself.
    for (int a = 0; a < kept; ++a) features_[a] = features_[source_[a]];
    features_.resize(kept);
    packed_ = kept_packed;
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
  std::vector<char> kept_slot_;   // keep_if: whether each old slot is kept
  std::vector<int> source_, holes_;  // keep_if: each new slot's old one; the filled slots
  std::vector<double> H_;  // G[W, W], leading dimension ld_; the first packed_ rows/columns valid
  int packed_ = 0, ld_ = 0;
};

}  // namespace shrinkage
