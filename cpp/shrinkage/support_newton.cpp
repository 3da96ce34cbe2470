#include "shrinkage/support_newton.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "shrinkage/blas.hpp"
#include "shrinkage/cd_kernels.hpp"
#include "shrinkage/cholesky.hpp"
#include "shrinkage/gap.hpp"

namespace shrinkage {

namespace {
inline int sign_of(double v) { return (v > 0) - (v < 0); }

// A coordinate whose penalty is smooth everywhere (no l1 term, no bound): always in S, never
// stopped by a sign.
inline bool smooth(const Coordinate& k, double l1) {
  return !(l1 * k.a > 0) && std::isinf(k.lo) && std::isinf(k.hi);
}
// Whether the penalty has a kink at zero: a step crossing zero stops there.
inline bool kink_at_zero(const Coordinate& k, double l1) {
  return l1 * k.a > 0 || k.lo == 0 || k.hi == 0;
}

// Rounds of the active-set iteration in one step: each costs one solve on the cached factor;
// near saturation (support ~ n) a step needs dozens of them, and a step cut short leaves CD
// epochs that cost more.
constexpr int kRounds = 32;

// At s ~ 1000 a triangular solve (BLAS trsv) runs about twice as fast per multiply-add as an
// epoch's axpys, and a blocked factorisation (BLAS-3) about five times.
constexpr double kSolveSpeedup = 2.0, kFactorSpeedup = 5.0;
}  // namespace

// The support's features missing from the cached factor are appended (s^2 / 2 each, counted
// at solve speed: a block append of a few features is trsm on a thin block) or, when they are
// a third of it, the factor is made afresh (s^3 / 6); then each active-set round solves (s^2;
// their count per step is a running mean) and q follows (s m).
double SupportNewton::cost(const BlockView& block, const BlockPoint& x, int s) const {
  int fresh = 0;
  for (int i = 0; i < block.m; ++i)
    fresh += x.w[i] != 0.0 && factor_slot_[block.features[i]] < 0;
  const double ss = double(s) * s;
  const double factor = 3 * fresh <= s ? fresh * ss / 2.0 / kSolveSpeedup
                                       : ss * s / 6.0 / kFactorSpeedup;
  return factor + mean_solves_ * ss / kSolveSpeedup + double(s) * block.m;
}

// Adds to the support the `count` zero coordinates whose gradient exceeds l1 most, with that
// gradient's sign.
void SupportNewton::add_entering(const ElasticNet& pen, const BlockPoint& x, std::size_t count) {
  candidates_.clear();
  for (int i = 0; i < x.m; ++i) {
    const Coordinate& k = pen.coordinate(x, i);
    if (x.w[i] != 0.0 || smooth(k, pen.l1())) continue;
    const double g = pen.magnitude(k, [&](int) { return x.q[i]; });
    if (g > pen.l1()) candidates_.emplace_back(g - pen.l1(), i);
  }
  if (candidates_.size() > count) {
    std::nth_element(candidates_.begin(), candidates_.begin() + count, candidates_.end(),
                     std::greater<>());
    candidates_.resize(count);
  }
  for (const auto& c : candidates_) {
    sign_[c.second] = sign_of(x.q[c.second]);
    support_.push_back(c.second);
  }
}

// If the full step would flip a sign, it steps to the first sign change (still a descent
// step), drops that coordinate and solves again: an active-set iteration of a few rounds. An
// entering coordinate whose step has the other sign cannot enter and leaves S before any step
// is taken. A singular G_SS (more non-zeros than the rank of X, as CD iterates have on wide
// data) gets a tiny ridge so the rounds can shrink S.
NewtonOutcome SupportNewton::step(const ElasticNet& pen, const BlockView& block, BlockPoint& x,
                                  std::size_t entering) {
  const int m = block.m;
  const std::size_t ld = static_cast<std::size_t>(block.ld);
  const double l1 = pen.l1(), l2 = pen.l2();
  auto& S = support_;
  S.clear();
  // Where the penalty has a kink at zero the signs are fixed and a step stops where one would
  // change; a step also stops at a bound, and a coefficient at its bound stays there.
  coords_.resize(m);
  sign_.resize(m);
  for (int i = 0; i < m; ++i) {
    coords_[i] = pen.coordinate(x, i);
    sign_[i] = sign_of(x.w[i]);
    if (smooth(coords_[i], l1) || (x.w[i] != 0.0 && !coords_[i].at_bound(x.w[i])))
      S.push_back(i);
  }
  if (entering > 0) add_entering(pen, x, entering);
  const double before = block_objective(pen, x);
  saved_w_ = x.w;
  saved_q_ = x.q;
  NewtonOutcome outcome = NewtonOutcome::Failed;
  int solves = 0;
  for (int round = 0; round < kRounds && !S.empty(); ++round) {
    if (!solve_on_support(pen, block, x)) break;
    ++solves;
    const int s = static_cast<int>(S.size());
    int kept = 0;
    for (int a = 0; a < s; ++a)
      if (smooth(coords_[S[a]], l1) || x.w[S[a]] != 0.0 || sign_of(step_[a]) == sign_[S[a]])
        S[kept++] = S[a];
    if (kept < s) {  // entering coordinates that cannot enter: solve without them
      S.resize(kept);
      continue;
    }
    double length = 1.0, blocked_at = 0.0;
    int blocking = -1;
    const auto block_at = [&](int a, double target) {
      const double t = (target - x.w[S[a]]) / step_[a];
      if (t < length) {
        length = t;
        blocking = a;
        blocked_at = target;
      }
    };
    for (int a = 0; a < s; ++a) {
      const Coordinate& k = coords_[S[a]];
      const double wi = x.w[S[a]], next = wi + step_[a];
      if (kink_at_zero(k, l1) && wi != 0.0 && sign_of(next) != sign_[S[a]]) block_at(a, 0.0);
      if (next > k.hi) block_at(a, k.hi);
      if (next < k.lo) block_at(a, k.lo);
    }
    // Between rounds only q_S is needed: the solve gave G_SS d = r - (l2 + ridge) d for its
    // right-hand side r, so q_S moves in O(s); the rest of q follows once, after the rounds.
    for (int a = 0; a < s; ++a) {
      const int i = S[a];
      const Coordinate& k = coords_[i];
      const double r = x.q[i] - l2 * k.e * x.w[i] - l1 * k.a * sign_[i];
      x.w[i] = (a == blocking) ? blocked_at : x.w[i] + length * step_[a];
      x.q[i] -= length * (r - (l2 * k.e + factor_ridge_) * step_[a]);
    }
    if (blocking < 0) {
      outcome = NewtonOutcome::Full;
      break;
    }
    S.erase(S.begin() + blocking);
    outcome = NewtonOutcome::Partial;
  }
  mean_solves_ += 0.25 * (solves - mean_solves_);
  x.q = saved_q_;
  for (int i = 0; i < m; ++i)
    if (x.w[i] != saved_w_[i]) axpy_sub(m, x.w[i] - saved_w_[i], block.H + i * ld, x.q.data());
  if (outcome == NewtonOutcome::Failed || !not_worse(block_objective(pen, x), before)) {
    x.w.swap(saved_w_);
    x.q.swap(saved_q_);
    return NewtonOutcome::Failed;
  }
  return outcome;
}

// d = (G_SS + l2 I)^{-1} (q_S - l2 w_S - l1 sign(w_S)), with S reordered to the factor's order;
// false if even a ridged system fails. The factor of the previous solve follows the support:
// features that left are deleted (rank-one updates), new ones appended (a block triangular
// solve, as LARS appends one at a time). A fresh factorisation (blocked, BLAS-3) is taken when
// most of the support is new, when l2 changed, or with a tiny ridge when a column is
// numerically dependent on the others; that ridge then stays in the factor while it is
// updated (on saturated wide data nearly every support is rank-deficient).
bool SupportNewton::solve_on_support(const ElasticNet& pen, const BlockView& block,
                                     const BlockPoint& x) {
  const double l1 = pen.l1(), l2 = pen.l2();
  auto& S = support_;
  const int s = static_cast<int>(S.size());
  for (int a = 0; a < s; ++a) support_position_[block.features[S[a]]] = S[a];
  if (factor_l2_ != l2) forget_factor();
  for (int k = static_cast<int>(factor_features_.size()) - 1; k >= 0; --k)
    if (support_position_[factor_features_[k]] < 0) {
      rotation_.resize(factor_features_.size());
      cholesky_delete(static_cast<int>(factor_features_.size()), factor_.data(), factor_ld_, k,
                      rotation_.data());
      factor_slot_[factor_features_[k]] = -1;
      factor_features_.erase(factor_features_.begin() + k);
    }
  const int kept = static_cast<int>(factor_features_.size());
  reordered_.clear();
  for (int k = 0; k < kept; ++k) {
    factor_slot_[factor_features_[k]] = k;
    reordered_.push_back(support_position_[factor_features_[k]]);
  }
  for (int a = 0; a < s; ++a)
    if (factor_slot_[block.features[S[a]]] < 0) reordered_.push_back(S[a]);
  for (int a = 0; a < s; ++a) support_position_[block.features[S[a]]] = -1;
  S.swap(reordered_);
  reserve_factor(s);
  factor_l2_ = l2;
  bool ok = 3 * (s - kept) <= s;  // appending costs ~(s - kept) s^2
  if (ok && kept < s) {
    // The new features' rows of G_SS + (l2 + ridge) I, in the factor's storage.
    const std::size_t ld = static_cast<std::size_t>(block.ld), fld = std::size_t(factor_ld_);
    for (int r = 0; r < s; ++r) {  // column r of the factor, from column S[r] of H
      const double* hr = block.H + S[r] * ld;
      double* column = factor_.data() + r * fld;
      for (int a = std::max(r, kept); a < s; ++a) column[a] = hr[S[a]];
    }
    for (int a = kept; a < s; ++a) factor_[a * fld + a] += l2 * coords_[S[a]].e + factor_ridge_;
    ok = cholesky_append(kept, s - kept, factor_.data(), factor_ld_, 1e-12);
  }
  if (!ok && !factor_from_scratch(block, l2)) return false;
  factor_features_.resize(s);
  for (int a = 0; a < s; ++a) {
    factor_features_[a] = block.features[S[a]];
    factor_slot_[factor_features_[a]] = a;
  }
  step_.resize(s);
  for (int a = 0; a < s; ++a) {
    const Coordinate& k = coords_[S[a]];
    step_[a] = x.q[S[a]] - l2 * k.e * x.w[S[a]] - l1 * k.a * sign_[S[a]];
  }
  cholesky_solve(s, factor_.data(), factor_ld_, step_.data());
  return true;
}

// Grows the factor's storage to hold s x s, keeping what it holds.
void SupportNewton::reserve_factor(int s) {
  if (factor_ld_ >= s) return;
  const int ld = std::max(s, 2 * factor_ld_);
  std::vector<double> grown(static_cast<std::size_t>(ld) * ld, 0.0);
  const int n = static_cast<int>(factor_features_.size());
  for (int j = 0; j < n; ++j)
    std::copy_n(factor_.begin() + std::size_t(j) * factor_ld_, n,
                grown.begin() + std::size_t(j) * ld);
  factor_.swap(grown);
  factor_ld_ = ld;
}

// Factorises G_SS + l2 I in S's order; with a ridge of 1e-10 max diag if singular.
bool SupportNewton::factor_from_scratch(const BlockView& block, double l2) {
  const auto& S = support_;
  const int s = static_cast<int>(S.size());
  const std::size_t ld = static_cast<std::size_t>(block.ld), fld = std::size_t(factor_ld_);
  double max_diag = 0;
  for (int a = 0; a < s; ++a) max_diag = std::max(max_diag, block.H[S[a] * ld + S[a]]);
  for (const double ridge : {0.0, 1e-10 * max_diag}) {
    for (int a = 0; a < s; ++a) {
      const double* ha = block.H + S[a] * ld;
      for (int r = a; r < s; ++r) factor_[a * fld + r] = ha[S[r]];
      factor_[a * fld + a] += l2 * coords_[S[a]].e + ridge;
    }
    factor_ridge_ = ridge;
    if (cholesky_factor(s, factor_.data(), factor_ld_) < 0) return true;
  }
  forget_factor();
  return false;
}

void SupportNewton::forget_factor() {
  for (int f : factor_features_) factor_slot_[f] = -1;
  factor_features_.clear();
}

// On the rows S with w_j != 0 the optimality conditions -q_j + l2 w_j + l1 u_j = 0,
// u_j = w_j / ||w_j||, are smooth, with the Jacobian
//   J = G_SS (x) I + blockdiag(c_j I - l1 / ||w_j|| u_j u_j^T),  c_j = l2 + l1 / ||w_j||,
// positive definite when G_SS + l2 I is. J is M (x) I, M = G_SS + diag(c), less the rank-s term
// U diag(l1 / ||w_j||) U^T (U's column j: e_j (x) u_j), so by Woodbury
//   J^{-1} = (M^{-1} (x) I) (I + U C^{-1} U^T (M^{-1} (x) I)),
//   C = diag(||w_j|| / l1) - M^{-1} o (u_j . u_k),
// positive definite with J. A step takes the factors of M and C and M^{-1}: 2 s^3 / 3
// multiply-adds at BLAS-3 speed however many tasks, where J's factor takes (s n_tasks)^3 / 6;
// then solves (s^2 n_tasks) and q follows (s m n_tasks).
double GroupNewton::cost(const BlockView& block, const BlockPoint& x, int s) const {
  const double ss = double(s) * s;
  return 2.0 * ss * s / 3.0 / kFactorSpeedup + 4.0 * ss * x.n_tasks / kSolveSpeedup +
         double(s) * block.m * x.n_tasks;
}

// The step is backtracked on the true objective.
NewtonOutcome GroupNewton::step(const GroupL21& pen, const BlockView& block, BlockPoint& x,
                                std::size_t /*entering*/) {
  const int m = block.m, nt = x.n_tasks;
  const double l1 = pen.l1(), l2 = pen.l2();
  const std::size_t ld = static_cast<std::size_t>(block.ld);
  auto& S = support_;
  S.clear();
  for (int i = 0; i < m; ++i)
    if (x.row_nonzero(i) || pen.is_smooth()) S.push_back(i);
  const int s = static_cast<int>(S.size());
  if (s == 0) return NewtonOutcome::Failed;
  const std::size_t ls = static_cast<std::size_t>(s);
  // M's lower triangle, the unit rows u (s x nt) and the right-hand side r_j = -F_j (s x nt).
  factor_.resize(ls * ls);
  norm_.resize(ls);
  unit_.assign(ls * nt, 0.0);
  step_.resize(ls * nt);
  for (int a = 0; a < s; ++a) {
    const int i = S[a];
    double norm = 0;
    for (int t = 0; t < nt; ++t) norm += x.w[x.at(i, t)] * x.w[x.at(i, t)];
    norm_[a] = norm = std::sqrt(norm);
    const double* hi = block.H + i * ld;
    double* column = factor_.data() + a * ls;
    for (int b = a; b < s; ++b) column[b] = hi[S[b]];
    column[a] += l2 + (norm > 0 ? l1 / norm : 0.0);
    for (int t = 0; t < nt; ++t) {
      const double wt = x.w[x.at(i, t)];
      if (norm > 0) unit_[t * ls + a] = wt / norm;
      step_[t * ls + a] = x.q[x.at(i, t)] - l2 * wt - l1 * unit_[t * ls + a];
    }
  }
  if (cholesky_factor(s, factor_.data(), s) >= 0) return NewtonOutcome::Failed;
  woodbury_ = l1 > 0;  // then every row of S has w_j != 0
  if (woodbury_) {
    capacitance_ = factor_;
    if (blas::potri(s, capacitance_.data(), s) != 0) return NewtonOutcome::Failed;
    for (int a = 0; a < s; ++a) {  // C's lower triangle over M^{-1}'s, in place
      double* column = capacitance_.data() + a * ls;
      for (int b = a; b < s; ++b) {
        double overlap = 0;
        for (int t = 0; t < nt; ++t) overlap += unit_[t * ls + a] * unit_[t * ls + b];
        column[b] *= -overlap;
      }
      column[a] += norm_[a] / l1;
    }
    if (cholesky_factor(s, capacitance_.data(), s) >= 0) return NewtonOutcome::Failed;
  }
  apply_inverse(s, nt, 1, step_.data());
  const double before = block_objective(pen, x);
  saved_w_ = x.w;
  saved_q_ = x.q;
  // Rows whose step passes through zero are first simply set to zero, which usually leaves a
  // full step that lowers the objective; failing that, they are held at zero exactly.
  free_step_ = step_;
  if (woodbury_ && zero_crossing_rows(x, s)) {
    if (try_step(pen, block, x, 1.0, before, true)) return NewtonOutcome::Full;
    step_ = free_step_;
    hold_crossing_rows(x, s);
  }
  for (double length = 1.0; length > 1e-3; length *= 0.5)
    if (try_step(pen, block, x, length, before, length == 1.0))
      return length == 1.0 ? NewtonOutcome::Full : NewtonOutcome::Partial;
  x.w.swap(saved_w_);
  x.q.swap(saved_q_);
  return NewtonOutcome::Failed;
}

// x = saved + length * step on S's rows, with q following (dq = H[:, S] d, m x n_tasks, made
// afresh when the step is new); true if the objective is not worse than `before`.
bool GroupNewton::try_step(const GroupL21& pen, const BlockView& block, BlockPoint& x,
                           double length, double before, bool new_step) {
  const int m = block.m, nt = x.n_tasks, s = static_cast<int>(support_.size());
  const std::size_t ls = static_cast<std::size_t>(s), mm = static_cast<std::size_t>(m);
  const std::size_t ld = static_cast<std::size_t>(block.ld);
  const auto& S = support_;
  if (new_step) {
    q_change_.assign(mm * nt, 0.0);
    for (int a = 0; a < s; ++a)
      for (int t = 0; t < nt; ++t)
        axpy_sub(m, -step_[t * ls + a], block.H + S[a] * ld, q_change_.data() + t * mm);
  }
  for (int a = 0; a < s; ++a)
    for (int t = 0; t < nt; ++t)
      x.w[x.at(S[a], t)] = saved_w_[x.at(S[a], t)] + length * step_[t * ls + a];
  for (std::size_t e = 0; e < x.q.size(); ++e) x.q[e] = saved_q_[e] - length * q_change_[e];
  return not_worse(block_objective(pen, x), before);
}

// The model is linear in a row's norm along u_j, so a row whose step passes through zero
// (||w_j|| + u_j . d_j <= 0, w: the step's start, saved_w_) crosses the kink there, and
// backtracking would shrink the whole step to the first such row.
bool GroupNewton::passes_through_zero(const BlockPoint& x, int s, int a) const {
  const std::size_t ls = static_cast<std::size_t>(s);
  double ahead = norm_[a];
  for (int t = 0; t < x.n_tasks; ++t)
    ahead += saved_w_[x.at(support_[a], t)] / norm_[a] * step_[t * ls + a];
  return ahead <= 0;
}

void GroupNewton::step_to_zero(const BlockPoint& x, int s, int a) {
  for (int t = 0; t < x.n_tasks; ++t)
    step_[std::size_t(t) * s + a] = -saved_w_[x.at(support_[a], t)];
}

// Sets the step of the rows that pass through zero to -w_j; false if there are none.
bool GroupNewton::zero_crossing_rows(const BlockPoint& x, int s) {
  bool any = false;
  for (int a = 0; a < s; ++a)
    if (passes_through_zero(x, s, a)) {
      step_to_zero(x, s, a);
      any = true;
    }
  return any;
}

// v <- J^{-1} v for `count` vectors v (each s x n_tasks, column-major, one after another):
// (M^{-1} (x) I) v, plus (M^{-1} (x) I) U C^{-1} U^T of that with an l1 term.
void GroupNewton::apply_inverse(int s, int nt, int count, double* v) {
  const std::size_t ls = static_cast<std::size_t>(s), size = ls * nt * count;
  cholesky_solve_many(s, nt * count, factor_.data(), s, v, s);
  if (!woodbury_) return;
  along_.assign(ls * count, 0.0);
  for (int c = 0; c < count; ++c)
    for (int t = 0; t < nt; ++t)
      for (int a = 0; a < s; ++a)
        along_[c * ls + a] += unit_[t * ls + a] * v[(std::size_t(c) * nt + t) * ls + a];
  cholesky_solve_many(s, count, capacitance_.data(), s, along_.data(), s);
  spread_.resize(size);
  for (int c = 0; c < count; ++c)
    for (int t = 0; t < nt; ++t)
      for (int a = 0; a < s; ++a)
        spread_[(std::size_t(c) * nt + t) * ls + a] = unit_[t * ls + a] * along_[c * ls + a];
  cholesky_solve_many(s, nt * count, factor_.data(), s, spread_.data(), s);
  for (std::size_t e = 0; e < size; ++e) v[e] += spread_[e];
}

// Holds the rows that pass through zero at zero exactly: the step (d0 on entry, also in
// free_step_) becomes the Newton step with d_Z = -w_Z imposed, d = d0 + J^{-1} E_Z lambda with
// (J^{-1})_ZZ lambda = -w_Z - d0_Z, in rounds while more rows cross. Each held row costs
// n_tasks columns of J^{-1} (BLAS-3 solves, ~(2 n_tasks + 1) n_tasks s^2); past s / 32 rows
// (about a fresh factorisation's worth) the rest are set to zero without the correction, and
// backtracking judges the step.
void GroupNewton::hold_crossing_rows(const BlockPoint& x, int s) {
  const int nt = x.n_tasks;
  const std::size_t ls = static_cast<std::size_t>(s), block = ls * nt;
  const auto& S = support_;
  const auto w = [&](int a, int t) { return saved_w_[x.at(S[a], t)]; };  // the start point
  held_.clear();
  columns_.clear();
  const std::size_t limit = std::max<std::size_t>(1, ls / 32);
  for (int round = 0; round < kRounds; ++round) {
    const std::size_t before = held_.size();
    for (int a = 0; a < s; ++a)
      if (std::find(held_.begin(), held_.end(), a) == held_.end() && passes_through_zero(x, s, a))
        held_.push_back(a);
    if (held_.size() == before) break;
    if (held_.size() > limit) {
      for (std::size_t h = before; h < held_.size(); ++h) step_to_zero(x, s, held_[h]);
      held_.resize(before);
      break;
    }
    // J^{-1}'s columns for the new rows' entries.
    const std::size_t fresh = (held_.size() - before) * nt, k = held_.size() * nt;
    columns_.resize(k * block, 0.0);
    double* first = columns_.data() + before * nt * block;
    for (std::size_t h = before, c = 0; h < held_.size(); ++h)
      for (int t = 0; t < nt; ++t, ++c) first[c * block + t * ls + held_[h]] = 1.0;
    apply_inverse(s, nt, static_cast<int>(fresh), first);
    // (J^{-1})_ZZ lambda = -w_Z - d0_Z.
    const auto entry = [&](std::size_t e) { return (e % nt) * ls + held_[e / nt]; };
    schur_.resize(k * k);
    lambda_.resize(k);
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t i = 0; i < k; ++i) schur_[j * k + i] = columns_[j * block + entry(i)];
      lambda_[j] = -w(held_[j / nt], int(j % nt)) - free_step_[entry(j)];
    }
    if (cholesky_factor(int(k), schur_.data(), int(k)) >= 0) {  // held rows' step: plain zero
      for (const int a : held_) step_to_zero(x, s, a);
      return;
    }
    cholesky_solve(int(k), schur_.data(), int(k), lambda_.data());
    step_ = free_step_;
    for (std::size_t j = 0; j < k; ++j)
      for (std::size_t e = 0; e < block; ++e) step_[e] += lambda_[j] * columns_[j * block + e];
    for (const int a : held_) step_to_zero(x, s, a);  // exactly zero, as the constraint has it
  }
}

}  // namespace shrinkage
