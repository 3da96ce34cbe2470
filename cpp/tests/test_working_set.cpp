// The working set's invariants: admission order, in-place compaction, and a packed block that
// always equals G[W, W] however features come and go.
#include <doctest/doctest.h>

#include <random>
#include <utility>
#include <vector>

#include "problems.hpp"
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
            scale * pr.gram[std::size_t(ws.features()[k]) * pr.p + ws.features()[i]]);
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
  const double scale = 0.5;
  FullGram gram(pr.gram.data(), pr.p, scale);
  SourceScratch scratch;
  WorkingSet ws(pr.p);
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    for (int a = 0; a < 3; ++a) ws.admit(static_cast<int>(rng() % pr.p));
    const std::vector<int> before = ws.features();
    const int drop = static_cast<int>(rng() % pr.p);
    ws.keep_if([&](int j) { return j % 5 != drop % 5 || round % 3 != 0; });
    // Kept features stay in their relative order.
    std::vector<int> expected;
    for (int j : before)
      if (j % 5 != drop % 5 || round % 3 != 0) expected.push_back(j);
    CHECK(ws.features() == expected);
    for (int j = 0; j < pr.p; ++j) {
      bool member = false;
      for (int f : ws.features()) member |= f == j;
      CHECK(ws.contains(j) == member);
    }
    check_block(ws, ws.pack(gram, scratch), pr, scale);
  }
}
