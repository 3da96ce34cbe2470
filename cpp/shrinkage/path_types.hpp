// What a path is asked and what it returns, and how it is interrupted.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <vector>

namespace shrinkage {

// One feature's penalty terms: l1 a |w| + l2/2 e w^2 with lo <= w <= hi (lo <= 0 <= hi).
struct Coordinate {
  double a = 1, e = 1;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  // Unpenalised with an unbounded side: projected out of the dual point (free_features.hpp).
  bool free() const {
    const double inf = std::numeric_limits<double>::infinity();
    return a == 0 && e == 0 && (lo == -inf || hi == inf);
  }
  bool at_bound(double w) const { return w != 0.0 && (w == lo || w == hi); }
};

struct BlockView {
  int m;                // |W|
  const double* H;      // m x m, column-major, leading dimension ld
  int ld;
  const int* features;  // W's features, in block order
};

// Per-feature penalty terms: one Coordinate per feature (length p, owned by the caller; null:
// every feature 1, 1, -inf, +inf, with lo = 0 under `positive`), and whether any bound is
// finite (beyond positive's 0).
struct FeatureTerms {
  const Coordinate* coordinates = nullptr;
  bool finite_bounds = false;
  bool any() const { return coordinates != nullptr; }
};

struct PathOptions {
  double l1_ratio = 1.0;
  bool positive = false;
  double tol = 1e-4;        // converged when gap <= tol * c, as in scikit-learn
  int max_iter = 1000;      // epochs per alpha
  bool screening = true;    // gap-safe screening
  bool newton = true;       // finish a stable support with a Cholesky step
  bool random_order = false;
  std::uint64_t seed = 0;
  // The caller returns float32 coefficients: certify the rounded point (solving to tol / 2 so
  // that rounding rarely matters; below float32's floor it is reported, not hidden).
  bool float32_output = false;
  // glmnet's limits (negative: none): the path stops after the first alpha with more than
  // dfmax non-zero features (that alpha included), or before the first with more than pmax
  // features ever non-zero along the path (that alpha excluded).
  int dfmax = -1;
  int pmax = -1;
  FeatureTerms features;
};

struct PathResult {
  std::vector<double> gaps;  // scikit-learn's units (gap of the un-normalised problem / n)
  std::vector<int> n_iter;
  std::vector<char> converged;
  int n_done = 0;  // the alphas solved and returned: all of them unless a limit stopped the path
  long residual_epochs = 0;  // of all epochs, those run by the residual-form solver
};

// Receives each alpha's coefficients as soon as they are final: w is p x n_tasks,
// column-major, valid during the call. The caller stores them where and how it needs (the
// bindings straight into the returned array, in its dtype), so the path holds no copy.
using CoefficientSink = std::function<void(int alpha_index, const double* w)>;

// Called between epochs (every few milliseconds) with -1 and after each alpha with the number
// of alphas finished; returning true abandons the path with PathInterrupted.
using Checkpoint = std::function<bool(int)>;
struct PathInterrupted : std::exception {
  const char* what() const noexcept override { return "path interrupted"; }
};

// Calls the checkpoint at most every 20 ms between epochs, and after every alpha.
class Poller {
 public:
  explicit Poller(const Checkpoint& checkpoint)
      : checkpoint_(checkpoint), last_(Clock::now()) {}
  void between_epochs() {
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(20)) return;
    last_ = now;
    if (checkpoint_ && checkpoint_(-1)) throw PathInterrupted();
  }
  void alphas_done(int count) {
    if (checkpoint_ && checkpoint_(count)) throw PathInterrupted();
    last_ = Clock::now();
  }

 private:
  using Clock = std::chrono::steady_clock;
  const Checkpoint& checkpoint_;
  Clock::time_point last_;
};

}  // namespace shrinkage
