// The working set's invariants: admission order, in-place removal, and a packed block that
// always equals G[W, W] however features come and go, from a full Gram and from a design.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "problems.hpp"
#include "shrinkage/dense_design.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/working_set.hpp"

using namespace shrinkage;

namespace {
void check_block(const WorkingSet& ws, const BlockView& block, const testing::Problem& pr,
                 double scale) {
  REQUIRE(block.m == ws.size());
  for (int k = 0; k < block.m; ++k)
    for (int i = 0; i < block.m; ++i)
      CHECK(block.H[std::size_t(k) * block.ld + i] ==
            doctest::Approx(scale * pr.gram[std::size_t(ws.features()[k]) * pr.p +
                                            ws.features()[i]]).epsilon(1e-12));
}
}  // namespace

TEST_CASE("admit keeps order and ignores members; admit_best takes the highest scores") {
  WorkingSet ws(10);
  ws.admit(4);
  ws.admit(2);
  ws.admit(4);
  CHECK(ws.features() == std::vector<int>{4, 2});
  std::vector<std::pair<double, int>> scored = {{0.1, 7}, {0.9, 1}, {0.5, 3}, {0.7, 2}};
  ws.admit_best(scored, 2);  // 1 and 2 score highest; 2 is already a member
  CHECK(ws.size() == 3);
  CHECK(ws.contains(1));
  CHECK(!ws.contains(3));
  CHECK(!ws.contains(7));
}

TEST_CASE("the packed block equals G[W, W] through random admissions and removals") {
  const auto pr = testing::make_problem(30, 25, 0.4, 3);
  std::vector<double> sq_norms(pr.p);
  for (int j = 0; j < pr.p; ++j) sq_norms[j] = pr.gram[std::size_t(j) * pr.p + j] * pr.n;
  const double scale = 0.5;
  // The full Gram is X^T X / n; the design, X, gives the same block at scale / n.
  FullGram full(pr.gram.data(), pr.p, scale);
  DenseDesign<double> dense(pr.x.data(), pr.n, pr.p, true, sq_norms.data(), scale / pr.n);
  for (GramSource* gram : std::vector<GramSource*>{&full, &dense}) {
    SourceScratch scratch;
    WorkingSet ws(pr.p);
    std::mt19937 rng(7);
    std::size_t packed = 0;  // the leading features whose block rows and columns are packed
    for (int round = 0; round < 60; ++round) {
      for (int a = 0; a < 3; ++a) ws.admit(static_cast<int>(rng() % pr.p));
      const std::vector<int> before = ws.features();
      const int drop = static_cast<int>(rng() % 5);
      const auto keep = [&](int j) { return j % 5 != drop || round % 3 != 0; };
      ws.keep_if(keep);
      // The kept packed features come first (in any order), the kept new ones after them in
      // their order.
      std::vector<int> kept_packed, kept_new;
      for (std::size_t i = 0; i < before.size(); ++i)
        if (keep(before[i])) (i < packed ? kept_packed : kept_new).push_back(before[i]);
      REQUIRE(ws.size() == static_cast<int>(kept_packed.size() + kept_new.size()));
      std::vector<int> head(ws.features().begin(), ws.features().begin() + kept_packed.size());
      std::sort(head.begin(), head.end());
      std::sort(kept_packed.begin(), kept_packed.end());
      CHECK(head == kept_packed);
      CHECK(std::equal(kept_new.begin(), kept_new.end(),
                       ws.features().begin() + kept_packed.size()));
      for (int j = 0; j < pr.p; ++j) {
        bool member = false;
        for (int f : ws.features()) member |= f == j;
        CHECK(ws.contains(j) == member);
      }
      packed = kept_packed.size();
      if (round % 4 != 3) {  // else the next round admits to an unpacked tail
        check_block(ws, ws.pack(*gram, scratch), pr, scale);
        packed = ws.features().size();
      }
    }
  }
}
