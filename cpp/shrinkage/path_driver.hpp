// The path driver: the alpha loop over one penalty type. Per alpha (warm-started from the
// previous one):
//   1. the duality gap of the warm start: the user's coef_init at the first alpha is done if
//      its gap is within tol * c (scikit-learn's check before its first epoch); the previous
//      alpha's solution only if the gap is at the objective's rounding (one within tol * c of
//      a small-residual fit would come back unchanged, and the path flat where it moves);
//   2. gap-safe screening at that gap removes features that are provably zero at this alpha;
//   3. the working set: the current support and the sequential strong rule's survivors;
//   4. the block solver on the working set, its first step a Newton prediction from the
//      previous alpha's solution, until the working set's gap reaches tol * c (the gap
//      scikit-learn's criterion asks for);
//   5. the gradient for all features and the full gap; KKT violators outside the working set
//      join it and 4 repeats.
// The gradient q carries over between alphas (it does not depend on alpha).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "shrinkage/block_solver.hpp"
#include "shrinkage/free_features.hpp"
#include "shrinkage/gap.hpp"
#include "shrinkage/gradient.hpp"
#include "shrinkage/gram_source.hpp"
#include "shrinkage/path_types.hpp"
#include "shrinkage/residual_solver.hpp"
#include "shrinkage/working_set.hpp"

namespace shrinkage {

template <class Penalty>
class PathDriver {
 public:
  PathDriver(GramSource& gram, const double* b, int n_tasks, double c, const PathOptions& opt,
             const Checkpoint& checkpoint)
      : gram_(gram), p_(gram.n_features()), nt_(n_tasks), c_(c), opt_(opt), poller_(checkpoint),
        b_(b, b + static_cast<std::size_t>(p_) * n_tasks), w_(b_.size(), 0.0),
        gradient_(gram, scratch_, b_, n_tasks, opt.features.coordinates), working_set_(p_),
        block_(p_, n_tasks, opt_, poller_), diag_(p_), screened_(p_, 0), next_ws_(p_, 0),
        was_nonzero_(p_, 0), ever_(p_, 0), is_free_(p_, 0), free_slot_(p_, -1),
        free_(free_features(Penalty::at(1.0, opt, n_tasks), p_),
              free_coordinates(Penalty::at(1.0, opt, n_tasks), p_), gram) {
    const double* d = gram_.diagonal();
    for (int j = 0; j < p_; ++j) diag_[j] = gram_.scale() * d[j];
    for (std::size_t a = 0; a < free_.features().size(); ++a) {
      is_free_[free_.features()[a]] = 1;
      free_slot_[free_.features()[a]] = static_cast<int>(a);
    }
    // Sparse and dense X: the residual-form solver where it pays (one target, no features
    // projected out of the dual point); the Gram-block solver otherwise.
    if (gram_.has_columns() && !Penalty::kGrouped && free_.empty())
      residual_.emplace(opt_, poller_);
  }

  // coef_init (p x n_tasks) or null; gradient_init: q = b - G coef_init where the caller
  // knows it (else null: computed here).
  PathResult run(const double* alphas, int n_alphas, const double* coef_init,
                 const CoefficientSink& sink, const double* gradient_init = nullptr) {
    PathResult out;
    out.gaps.assign(n_alphas, 0.0);
    out.n_iter.assign(n_alphas, 0);
    out.converged.assign(n_alphas, 1);
    if (coef_init != nullptr) {
      std::copy(coef_init, coef_init + w_.size(), w_.begin());
      if (gradient_init != nullptr)
        gradient_.assign(gradient_init);
      else
        gradient_.recompute(w_, working_set_.features(), Gradient::kAllExact);
    }
    double l1_prev = 0;  // the strong rule's previous l1: alpha_max's for the first alpha
    const Penalty unpenalised = Penalty::at(0.0, opt_, nt_);
    for (int j = 0; j < p_; ++j)
      if (!is_free_[j]) l1_prev = std::max(l1_prev, point().gradient_magnitude(unpenalised, j, 0.0));
    for (int k = 0; k < n_alphas; ++k) {
      const Penalty pen = Penalty::at(alphas[k], opt_, nt_);
      Outcome result = solve(pen, l1_prev, k == 0 && coef_init != nullptr, kFloat32Margin);
      if (opt_.float32_output) {
        // Rounding to float32 can undo what solving to half of tol left: solve tighter from
        // the rounded point and round again, until float32's own floor is reached.
        result = round_to_float32(pen, result);
        for (double margin = kFloat32Margin / 16; !result.converged && margin > 1e-4;
             margin /= 16) {
          const int epochs = result.epochs;
          result = round_to_float32(pen, solve(pen, l1_prev, false, margin));
          result.epochs += epochs;
        }
      }
      count_entered();
      out.gaps[k] = result.gap;
      out.n_iter[k] = result.epochs;
      out.converged[k] = result.converged;
      if (exceeds(opt_.pmax, ever_nonzero_)) break;
      sink(k, w_.data());
      out.n_done = k + 1;
      l1_prev = pen.l1();
      poller_.alphas_done(k + 1);
      if (exceeds(opt_.dfmax, nonzero_)) break;
    }
    out.residual_epochs = residual_epochs_;
    out.gaps.resize(out.n_done);
    out.n_iter.resize(out.n_done);
    out.converged.resize(out.n_done);
    return out;
  }

 private:
  struct Outcome {
    double gap;
    int epochs;
    bool converged;
  };
  static constexpr int kMaxStalls = 12;  // working-set tightenings without a violator
  static constexpr double kSettledGap = 1e-14;  // relative gap at the objective's rounding
  static constexpr double kFloat32Margin = 0.5;   // of tol, for float32 output
  static constexpr double kResidualRatio = 8;  // |W|^2 / entries(X_W) above which: residual
  static constexpr int kResidualBudget = 100;  // epochs before residual CD counts as stalled
  static constexpr int kResidualTrial = 15;    // the same, where it is on trial
  static constexpr int kTrialMinimum = 256;    // smaller working sets: no trial

  std::size_t at(int j, int t) const { return static_cast<std::size_t>(t) * p_ + j; }
  static bool exceeds(int limit, std::size_t count) {
    return limit >= 0 && count > static_cast<std::size_t>(limit);
  }
  PointView point() const {
    return {p_, nt_, w_.data(), gradient_.q(), b_.data(), gradient_.bound()};
  }
  static std::vector<int> free_features(const Penalty& pen, int p) {
    std::vector<int> free;
    for (int j = 0; j < p; ++j)
      if (pen.coordinate(j).free()) free.push_back(j);
    return free;
  }
  static std::vector<Coordinate> free_coordinates(const Penalty& pen, int p) {
    std::vector<Coordinate> coordinates;
    for (int j : free_features(pen, p)) coordinates.push_back(pen.coordinate(j));
    return coordinates;
  }

  // The full gap at the current point. With free features, their projection's shift and the
  // error bounds it adds (the point it certifies is kept in certified_ for screening).
  Gap certify(const Penalty& pen) {
    Shift shift;
    if (!free_.empty()) gradient_.make_exact(free_.features());
    certified_ = point();
    if (!free_.empty()) {
      free_w_.clear();
      free_q_.clear();
      free_b_.clear();
      for (int j : free_.features()) {
        free_w_.push_back(w_[j]);
        free_q_.push_back(gradient_.q()[j]);
        free_b_.push_back(b_[j]);
      }
      shift = free_.shift(free_w_.data(), free_q_.data(), free_b_.data());
      spread_bound_.resize(p_);
      for (int j = 0; j < p_; ++j)
        spread_bound_[j] = is_free_[j] ? 0.0
                                       : gradient_.bound()[j] + std::sqrt(diag_[j] * shift.spread);
      certified_.bound = spread_bound_.data();
      certified_.free_features = &free_;
      certified_.free_slot = free_slot_.data();
    }
    return full_gap(pen, certified_, c_, shift);
  }
  // Entries of q that reach l1 are exact, so are the KKT checks and the dual norm's excess
  // over l1 in the gap. Without an l1 term the gap needs all of q.
  static double exact_from(const Penalty& pen) {
    return pen.l1() > 0 ? pen.l1() : Gradient::kAllExact;
  }

  // Solves at `pen` to a gap of tol * c, or of `float32_margin` times that when the caller
  // returns float32 coefficients (so that rounding rarely matters).
  Outcome solve(const Penalty& pen, double l1_prev, bool users_warm_start,
                double float32_margin) {
    const double l1 = pen.l1();
    const double tol_abs = opt_.tol * c_ * (opt_.float32_output ? float32_margin : 1.0);
    if (pen.l1() > 0)
      gradient_.make_exact_reaching(exact_from(pen));
    else if (gradient_.bounded())
      gradient_.recompute(w_, working_set_.features(), exact_from(pen));
    Gap gap = certify(pen);
    const double accepted = users_warm_start ? tol_abs : std::min(tol_abs, kSettledGap * c_);
    if (gap.value <= accepted) return {gap.value, 0, true};

    std::fill(screened_.begin(), screened_.end(), 0);
    screen(pen, gap);
    admit_strong_rule_survivors(pen, 2.0 * l1 - l1_prev);
    gradient_.make_exact(working_set_.features());  // the block's gradient must be exact

    int epochs = 0, stalls = 0;
    bool residual_stalled = false;  // then the block solver's Newton steps finish this alpha
    double inner_target = tol_abs;
    while (true) {
      const int budget = residual_ && !residual_stalled ? residual_budget(pen) : 0;
      if (budget > 0) {
        residual_->load(pen, columns_, working_set_.features(), w_.data(), b_.data(),
                        diag_.data());
        const int before = epochs;
        residual_stalled = !residual_->run(pen, c_, inner_target, epochs, budget);
        residual_epochs_ += epochs - before;
        trial_stalled_ |= residual_stalled && budget == kResidualTrial;
        residual_->store(w_.data());
      } else {
        const BlockView block = working_set_.pack(gram_, scratch_);
        block_.load(pen, block, p_, w_.data(), gradient_.q(), b_.data(), free_, free_slot_);
        block_.run(pen, block, c_, inner_target, epochs, epochs == 0, entered_);
        block_.store(block, p_, w_.data());
      }
      gradient_.recompute(w_, working_set_.features(), exact_from(pen));
      gap = certify(pen);
      if (gap.value <= tol_abs) return {gap.value, epochs, true};
      if (epochs >= opt_.max_iter) return {gap.value, epochs, false};
      if (screen(pen, gap)) {
        gap = certify(pen);
        if (gap.value <= tol_abs) return {gap.value, epochs, true};
      }
      working_set_.keep_if([&](int j) { return !screened_[j]; });
      if (!admit_violators(pen)) {
        // Only the drift of the incremental gradient is left: ask the working set for more.
        // Bounded, so the loop always ends (each pass also runs an epoch or adds features).
        inner_target *= 0.25;
        if (++stalls > kMaxStalls) return {gap.value, epochs, false};
      }
    }
  }

  // The residual form's epoch budget for the working set (whose columns it leaves in
  // columns_), or 0 where the block solver is the cheaper one. A residual epoch costs about
  // three passes over X_W's stored entries, a block epoch |W|^2 multiply-adds, and the block
  // solver's Newton steps save epochs that CD in either form would need on correlated
  // columns, hence the margin. With an l2 term the block solver also refactorises its Newton
  // factor at every alpha (l2 changes) and CD is better conditioned, so the residual form
  // gets a short trial without the margin, until a trial of this path has stalled; not on
  // working sets of a few hundred features, whose block costs little and whose Newton steps
  // finish exactly (docs/design.md §2).
  int residual_budget(const Penalty& pen) {
    const std::vector<int>& ws = working_set_.features();
    const int m = static_cast<int>(ws.size());
    columns_ = gram_.working_columns(ws.data(), m, scratch_);
    double entries = 0;
    for (int k = 0; k < m; ++k) entries += columns_.entries(k);
    const double block_epoch = static_cast<double>(m) * m;
    if (block_epoch > kResidualRatio * entries) return kResidualBudget;
    if (pen.l2() > 0 && !trial_stalled_ && m >= kTrialMinimum && block_epoch > entries)
      return kResidualTrial;
    return 0;
  }

  // The working set: the support and the sequential strong rule's survivors (|q_j| >= the
  // threshold). Survivors whose Gram column is at hand cost almost nothing (a zero that stays
  // zero skips its axpy); those that would need a new column are admitted best first, about
  // twice as many as entered the model at the previous alpha (on correlated data the rule
  // passes nearly every feature near alpha_max; KKT checks catch what it misses). Kept
  // features keep their Gram columns, so only the new ones are gathered.
  void admit_strong_rule_survivors(const Penalty& pen, double threshold) {
    const PointView x = point();
    costly_.clear();
    for (int j = 0; j < p_; ++j) {
      if (screened_[j]) continue;
      const bool in_model = x.nonzero(j) || is_free_[j];
      const double g = in_model ? 0.0 : x.gradient_magnitude(pen, j, 0.0);
      const bool survives = !in_model && g >= threshold;
      next_ws_[j] = in_model || (survives && (working_set_.contains(j) ||
                                              gram_.is_cheap(j, scratch_)));
      if (survives && !next_ws_[j]) costly_.emplace_back(g, j);
    }
    working_set_.keep_if([&](int j) { return !screened_[j] && next_ws_[j]; });
    for (int j = 0; j < p_; ++j)
      if (!screened_[j] && next_ws_[j]) working_set_.admit(j);
    working_set_.admit_best(costly_, std::max<std::size_t>(4, 2 * entered_));
  }

  // Admits the features outside W that violate the optimality conditions, worst first; at
  // most max(16, 2 |support|) at a time (celer's growth), as each may cost a new Gram column.
  bool admit_violators(const Penalty& pen) {
    const PointView x = point();
    violators_.clear();
    for (int j = 0; j < p_; ++j) {
      if (working_set_.contains(j) || screened_[j]) continue;
      const double v = x.gradient_magnitude(pen, j, 0.0) - pen.l1();
      if (v > 0) violators_.emplace_back(v, j);
    }
    if (violators_.empty()) return false;
    std::size_t support = 0;
    for (double v : w_) support += v != 0.0;
    working_set_.admit_best(violators_, std::max<std::size_t>(16, 2 * support));
    return true;
  }

  // Gap-safe screening at `gap`; features it proves zero are set to zero. Returns true when a
  // non-zero coefficient was (the gradient is then recomputed).
  bool screen(const Penalty& pen, const Gap& gap) {
    if (!opt_.screening) return false;
    gap_safe_screen(pen, certified_, gap, diag_.data(), screened_, zeroed_);
    if (zeroed_.empty()) return false;
    for (int j : zeroed_)
      for (int t = 0; t < nt_; ++t) w_[at(j, t)] = 0.0;
    gradient_.recompute(w_, working_set_.features(), exact_from(pen));
    return true;
  }

  // The gap of the coefficients as they will be returned, in float32.
  Outcome round_to_float32(const Penalty& pen, Outcome result) {
    for (double& v : w_) v = static_cast<double>(static_cast<float>(v));
    gradient_.recompute(w_, working_set_.features(), exact_from(pen));
    result.gap = certify(pen).value;
    result.converged = result.converged && result.gap <= opt_.tol * c_;
    return result;
  }

  // How many features entered the model at the alpha just solved (sizes the next admission),
  // how many are non-zero, and how many have ever been (glmnet's dfmax and pmax).
  void count_entered() {
    entered_ = nonzero_ = 0;
    const PointView x = point();
    for (int j = 0; j < p_; ++j) {
      const char now = x.nonzero(j);
      entered_ += now && !was_nonzero_[j];
      nonzero_ += now;
      if (now && !ever_[j]) {
        ever_[j] = 1;
        ++ever_nonzero_;
      }
      was_nonzero_[j] = now;
    }
  }

  GramSource& gram_;
  const int p_, nt_;
  const double c_;
  const PathOptions opt_;
  Poller poller_;
  SourceScratch scratch_;  // this path's workspace in the (possibly shared) source
  const std::vector<double> b_;
  std::vector<double> w_;  // p x n_tasks
  Gradient gradient_;
  WorkingSet working_set_;
  BlockSolver<Penalty> block_;
  std::optional<ResidualSolver<Penalty>> residual_;
  WorkingColumns columns_;  // W's columns, as the residual-form solver reads them
  bool trial_stalled_ = false;  // a residual-form trial of this path has stalled
  long residual_epochs_ = 0;
  std::vector<double> diag_;  // the scaled Gram diagonal
  std::vector<char> screened_;  // proved zero at this alpha
  std::vector<char> next_ws_;   // the strong rule: whether j is in the next working set
  std::vector<char> was_nonzero_, ever_;
  std::size_t entered_ = 0, nonzero_ = 0, ever_nonzero_ = 0;
  std::vector<std::pair<double, int>> costly_;     // survivors that need a new Gram column
  std::vector<std::pair<double, int>> violators_;  // KKT violators outside the working set
  std::vector<int> zeroed_;                         // non-zeros that screening proved zero
  std::vector<char> is_free_;  // unpenalised with an unbounded side (free_features.hpp)
  std::vector<int> free_slot_;  // a free feature's place in free_, else -1
  FreeFeatures free_;
  PointView certified_{};  // the point of the last full gap, as certified
  std::vector<double> spread_bound_, free_w_, free_q_, free_b_;
};

}  // namespace shrinkage
