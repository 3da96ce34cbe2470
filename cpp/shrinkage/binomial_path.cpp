#include "shrinkage/binomial_path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <utility>

#include "shrinkage/logistic.hpp"
#include "shrinkage/path_driver.hpp"
#include "shrinkage/penalty.hpp"

namespace shrinkage {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSettledGap = 1e-14;  // relative gap at the objective's rounding

std::vector<double> unit_weights(const BinomialData& data) {
  const int n = data.design.n_samples();
  std::vector<double> c(static_cast<std::size_t>(n), 1.0);
  if (data.weights) std::copy(data.weights, data.weights + n, c.begin());
  double total = 0;
  for (int i = 0; i < n; ++i) {
    if (!(c[i] >= 0.0 && c[i] < kInf)) throw std::invalid_argument("sample weights must be >= 0");
    total += c[i];
  }
  if (!(total > 0.0)) throw std::invalid_argument("the sample weights sum to zero");
  for (double& v : c) v /= total;
  return c;
}

// A point of the binomial problem on a design and the Newton steps that move it: the point
// (w, beta), its linear predictor eta = X w + beta + o, and after `certify` its residual r
// (with zero sum when there is an intercept) and u = X^T r.
class BinomialSolver {
 public:
  BinomialSolver(const BinomialData& data, const PathOptions& opt, const Checkpoint& checkpoint)
      : data_(data), design_(data.design), n_(design_.n_samples()), p_(design_.n_features()),
        c_(unit_weights(data)), fit_(data.y, c_.data(), data.offsets, n_), opt_(opt),
        checkpoint_(checkpoint), w_(p_, 0.0), eta_(n_), r_(n_), u_(p_) {
    for (int i = 0; i < n_; ++i)
      if (!(data.y[i] >= 0.0 && data.y[i] <= 1.0))
        throw std::invalid_argument("binomial responses must lie in [0, 1]");
  }

  const std::vector<double>& w() const { return w_; }
  const std::vector<double>& eta() const { return eta_; }
  // Takes a point solved elsewhere (on a working set's columns): its eta is X w + beta + o.
  void set_point(std::vector<double> w, double beta, const std::vector<double>& eta) {
    w_ = std::move(w);
    beta_ = beta;
    eta_ = eta;
  }
  double intercept() const { return beta_; }
  const std::vector<double>& correlations() const { return u_; }
  double loss() const { return fit_.value(eta_.data()); }
  double saturated() const { return fit_.saturated_value(); }

  void start(const double* coef, double intercept) {
    if (coef) std::copy(coef, coef + p_, w_.begin());
    beta_ = data_.fit_intercept ? intercept : 0.0;
    design_.times(w_.data(), eta_.data());
    for (int i = 0; i < n_; ++i) eta_[i] += beta_ + fit_.offset(i);
    solve_intercept();
  }

  // The gap of P at the current point (fills r and u).
  double certify(const ElasticNet& pen) {
    fit_.residual(eta_.data(), r_.data());
    if (data_.fit_intercept) {  // the dual point's sum is exactly zero
      double sum = 0;
      for (double v : r_) sum += v;
      for (int i = 0; i < n_; ++i) r_[i] -= c_[i] * sum;
    }
    design_.transposed_times(r_.data(), 1, u_.data());
    const double l1 = pen.l1(), l2 = pen.l2();
    double t = 1;  // the largest scale of r whose conjugate is finite
    for (int j = 0; j < p_; ++j) {
      const Coordinate& k = pen.coordinate(j);
      if (l2 * k.e > 0) continue;
      const double v = u_[j];
      if (v > l1 * k.a && k.hi == kInf) t = std::min(t, l1 * k.a / v);
      if (-v > l1 * k.a && k.lo == -kInf) t = std::min(t, l1 * k.a / -v);
    }
    t *= 1 - 4 * std::numeric_limits<double>::epsilon();  // t u_j rounds to within l1 a_j
    const auto dual = [&](double s) {
      double d = fit_.dual(r_.data(), s);
      for (int j = 0; j < p_ && d > -kInf; ++j) d -= pen.conjugate(pen.coordinate(j), s * u_[j]);
      return d;
    };
    const double best = t < 1 ? std::max(dual(t), dual(1.0)) : dual(1.0);
    return loss() + penalty(pen, w_.data()) - best;
  }

  struct Outcome {
    double gap;
    int epochs, steps;
    bool converged;
    long residual_epochs;
  };
  // Solves at `pen` by Newton steps from the current point to a gap of tol_abs, on this
  // design's columns. The starting point is accepted as it is within `accepted` (the path driver's rule: the
  // user's warm start within tol_abs, the previous alpha's solution only at the objective's
  // rounding, so that the path does not stay flat where it moves).
  Outcome solve(const ElasticNet& pen, double alpha, double tol_abs, double accepted,
                int max_newton) {
    Outcome out{certify(pen), 0, 0, false, 0};
    double target = kModelTarget;  // of the gap: the model's gap target
    while (true) {
      if (out.gap <= (out.steps == 0 ? accepted : tol_abs)) {
        out.converged = true;
        return out;
      }
      if (out.steps >= max_newton) return out;
      ++out.steps;
      const PathResult model = solve_model(alpha, std::max(0.1 * tol_abs, target * out.gap));
      out.epochs += model.n_iter.empty() ? 0 : model.n_iter[0];
      out.residual_epochs += model.residual_epochs;
      if (!line_search(pen)) {
        // No descent from a model solved this loosely: ask it for more, a few times.
        if ((target /= 16) < kMinTarget) return out;
        continue;
      }
      const double previous = out.gap;
      out.gap = certify(pen);
      // Steps from loosely solved models converge linearly at best: where one gained less
      // than a tenth of the gap, the next model is solved tighter.
      if (out.gap > 0.9 * previous && (target /= 4) < kMinTarget) return out;
    }
  }

 private:
  double penalty(const ElasticNet& pen, const double* w) const {
    double v = 0;
    for (int j = 0; j < p_; ++j)
      if (w[j] != 0.0) v += pen.value(pen.coordinate(j), w[j]);
    return v;
  }

  // Minimises P over the intercept alone (w fixed), updating eta: Newton steps on the
  // monotone derivative, kept inside the bracket of the root found so far.
  void solve_intercept() {
    if (!data_.fit_intercept) return;
    double lo = -kInf, hi = kInf, step = 1;
    for (int it = 0; it < 200; ++it) {
      double g = 0, h = 0;
      for (int i = 0; i < n_; ++i) {
        if (!(c_[i] > 0)) continue;
        const double prob = Logistic::sigmoid(eta_[i]);
        g += c_[i] * (prob - data_.y[i]);
        h += c_[i] * prob * (1 - prob);
      }
      if (g == 0.0 || std::fabs(g) <= 1e-15) return;
      (g > 0 ? hi : lo) = beta_;
      double next = h > 0 ? beta_ - g / h : beta_ - std::copysign(2 * step, g);
      if (!(next > lo && next < hi))
        next = std::isfinite(lo) && std::isfinite(hi) ? 0.5 * (lo + hi)
                                                      : beta_ - std::copysign(2 * step, g);
      if (next == beta_) return;
      step = std::fabs(next - beta_);
      for (int i = 0; i < n_; ++i) eta_[i] += next - beta_;
      beta_ = next;
    }
  }

  // The quadratic model of the datafit at the current point, solved at alpha by the path
  // driver to a gap of `target` (its own units: it is the same sum of weighted squares). The
  // step it gives is left in step_w_, step_beta_.
  PathResult solve_model(double alpha, double target) {
    std::vector<double>& v = model_weights_;
    std::vector<double>& z = work_;
    v.resize(n_);
    z.resize(n_);
    double weight = 0, zbar = 0;
    for (int i = 0; i < n_; ++i) {
      const double a = eta_[i] - fit_.offset(i);
      v[i] = c_[i] > 0 ? fit_.curvature(i, eta_[i]) : 0.0;
      z[i] = v[i] > 0 ? a + c_[i] * (data_.y[i] - Logistic::sigmoid(eta_[i])) / v[i] : a;
      weight += v[i];
      zbar += v[i] * z[i];
    }
    zbar = data_.fit_intercept ? zbar / weight : 0.0;
    double c = 0;
    for (int i = 0; i < n_; ++i) {
      const double d = z[i] - zbar;
      c += v[i] * d * d;
      z[i] = v[i] * d;  // the model's weighted response, whose X^T is b
      v[i] /= design_.scale();  // the design scales its Gram view back
    }
    b_.resize(p_);
    centres_.resize(p_);
    design_.reweight_for_model(v.data(), data_.fit_intercept, z.data(), b_.data(),
                               centres_.data());
    const double* b = b_.data();
    const double* centres = centres_.data();

    PathOptions inner = opt_;
    inner.tol = c > 0 ? target / c : 1.0;
    inner.dfmax = inner.pmax = -1;
    inner.float32_output = false;
    // The caller's checkpoint polls for interruption; alphas finished are the outer path's.
    const Checkpoint poll = [this](int done) {
      return done < 0 && checkpoint_ && checkpoint_(-1);
    };
    step_w_.assign(w_.begin(), w_.end());
    // The model's gradient at w is the datafit's, X^T r (r summing to zero with an
    // intercept): u from the last certificate, at this point.
    PathDriver<ElasticNet> driver(design_, b, 1, c, inner, poll);
    const auto keep = [this](int, const double* w) { std::copy(w, w + p_, step_w_.begin()); };
    PathResult res = driver.run(&alpha, 1, w_.data(), keep, u_.data());
    if (res.n_iter[0] == 0 && res.gaps[0] > 0) {
      // The current point already met the target, which a loose certificate of P (whose
      // dual point is not the model's) can allow far from P's optimum: the model must still
      // make progress of its own.
      inner.tol = 0.1 * res.gaps[0] / c;
      PathDriver<ElasticNet> again(design_, b, 1, c, inner, poll);
      res = again.run(&alpha, 1, w_.data(), keep, u_.data());
    }
    step_beta_ = 0;
    if (data_.fit_intercept) {
      step_beta_ = zbar;
      for (int j = 0; j < p_; ++j) step_beta_ -= centres[j] * step_w_[j];
    }
    return res;
  }

  // Backtracking from the model's solution toward the current point until P decreases by a
  // fraction of the decrease the model predicts (Tseng and Yun's rule). Where the predicted
  // decrease is at the rounding of P's value (near the optimum, where the gap still asks for
  // accuracy that P's value cannot show), the full step is taken if P does not rise beyond
  // that rounding. False if the step is empty or no step decreases P.
  bool line_search(const ElasticNet& pen) {
    std::vector<double>& d = direction_;
    d.resize(p_);
    bool moves = false;  // the intercept alone: already P's best for this w
    for (int j = 0; j < p_; ++j) moves |= (d[j] = step_w_[j] - w_[j]) != 0.0;
    if (!moves) return false;
    const double dbeta = step_beta_ - beta_;
    deta_.resize(n_);
    design_.times(d.data(), deta_.data());
    double slope = 0;
    fit_.residual(eta_.data(), r_.data());
    for (int i = 0; i < n_; ++i) {
      deta_[i] += dbeta;
      slope -= r_[i] * deta_[i];
    }
    const double penalty0 = penalty(pen, w_.data());
    const double start = loss() + penalty0;
    const double rounding = 64 * std::numeric_limits<double>::epsilon() * std::fabs(start);
    const double decrease = slope + penalty(pen, step_w_.data()) - penalty0;
    if (!(decrease < rounding)) return false;
    trial_eta_.resize(n_);
    trial_w_.resize(p_);
    for (double t = 1; t > 1e-10; t *= 0.5) {
      for (int i = 0; i < n_; ++i) trial_eta_[i] = eta_[i] + t * deta_[i];
      for (int j = 0; j < p_; ++j) trial_w_[j] = w_[j] + t * d[j];
      const double value = fit_.value(trial_eta_.data()) + penalty(pen, trial_w_.data());
      const bool at_rounding = t == 1 && -decrease <= rounding && value <= start + rounding;
      if (value <= start + 1e-4 * t * decrease || at_rounding) {
        // The box holds along the segment: both ends lie in it.
        w_.swap(trial_w_);
        eta_.swap(trial_eta_);
        beta_ += t * dbeta;
        solve_intercept();
        return true;
      }
    }
    return false;
  }

  static constexpr double kModelTarget = 0.1;  // docs/design.md §7
  static constexpr double kMinTarget = 1e-6;

  const BinomialData& data_;
  Design& design_;
  const int n_, p_;
  const std::vector<double> c_;
  const Logistic fit_;
  const PathOptions opt_;
  const Checkpoint& checkpoint_;
  std::vector<double> w_;
  double beta_ = 0;
  std::vector<double> eta_, r_, u_;
  std::vector<double> model_weights_, work_, b_, centres_;  // the quadratic model
  std::vector<double> direction_, step_w_, deta_, trial_eta_, trial_w_;  // the line search
  double step_beta_ = 0;
};

}  // namespace

BinomialNull binomial_null(const BinomialData& data) {
  PathOptions opt;
  BinomialSolver solver(data, opt, {});
  solver.start(nullptr, 0.0);
  solver.certify(ElasticNet(0.0, 0.0, false));
  return {solver.intercept(), solver.loss(), solver.saturated(), solver.correlations()};
}

namespace {

// A feature's push away from zero (per unit of its l1 weight) at the certificate's X^T r, as
// the KKT checks and the strong rule read it.
double push(const ElasticNet& pen, int j, const std::vector<double>& u) {
  return pen.magnitude(pen.coordinate(j), [&](int) { return u[j]; });
}

// One alpha on working sets (docs/design.md §7): Newton steps on the working set's columns
// (a design of their own), the point certified on all of X; KKT violators outside join the
// working set, or, where there are none, its problem is solved tighter.
BinomialSolver::Outcome solve_on_working_sets(BinomialSolver& full, const BinomialData& data,
                                              const PathOptions& opt, double alpha,
                                              double l1_prev, double tol_abs, double accepted,
                                              int max_newton, const Checkpoint& checkpoint) {
  const ElasticNet pen = ElasticNet::at(alpha, opt, 1);
  const int p = data.design.n_features();
  BinomialSolver::Outcome out{full.certify(pen), 0, 0, false, 0};
  if (out.gap <= accepted) {
    out.converged = true;
    return out;
  }
  // The support and the sequential strong rule's survivors; where they are half of X or
  // more, a copy of their columns would save little: the Newton steps run on X itself.
  std::vector<char> in(p, 0);
  std::vector<int> ws;
  const double strong = 2 * pen.l1() - l1_prev;
  for (int j = 0; j < p; ++j)
    if (full.w()[j] != 0.0 || push(pen, j, full.correlations()) >= strong) {
      in[j] = 1;
      ws.push_back(j);
    }
  if (2 * ws.size() >= static_cast<std::size_t>(p))
    return full.solve(pen, alpha, tol_abs, accepted, max_newton);
  double target = 0.5 * tol_abs;  // the working set's gap target
  std::vector<Coordinate> coordinates;
  while (true) {
    if (!ws.empty()) {
      PathOptions sub = opt;
      sub.dfmax = sub.pmax = -1;
      if (opt.features.any()) {
        coordinates.clear();
        for (int j : ws) coordinates.push_back(opt.features.coordinates[j]);
        sub.features.coordinates = coordinates.data();
      }
      const std::unique_ptr<Design> columns = data.design.columns(ws);
      const BinomialData sub_data{*columns, data.y, data.weights, data.offsets,
                                  data.fit_intercept};
      BinomialSolver solver(sub_data, sub, checkpoint);
      std::vector<double> w(ws.size());
      for (std::size_t k = 0; k < ws.size(); ++k) w[k] = full.w()[ws[k]];
      solver.start(w.data(), full.intercept());
      // Its start is accepted by the caller's rule (the previous alpha's solution only at the
      // objective's rounding), so that the path moves where it should.
      const auto result = solver.solve(ElasticNet::at(alpha, sub, 1), alpha, target,
                                       std::min(target, accepted), max_newton - out.steps);
      out.epochs += result.epochs;
      out.steps += result.steps;
      out.residual_epochs += result.residual_epochs;
      std::vector<double> full_w(p, 0.0);
      for (std::size_t k = 0; k < ws.size(); ++k) full_w[ws[k]] = solver.w()[k];
      full.set_point(std::move(full_w), solver.intercept(), solver.eta());
      out.gap = full.certify(pen);
    }
    if (out.gap <= tol_abs) {
      out.converged = true;
      return out;
    }
    if (out.steps >= max_newton) return out;
    bool joined = false;
    for (int j = 0; j < p; ++j)
      if (!in[j] && push(pen, j, full.correlations()) > pen.l1()) {
        in[j] = 1;
        ws.push_back(j);
        joined = true;
      }
    if (!joined && (target /= 4) < 1e-6 * tol_abs) return out;
  }
}

}  // namespace

BinomialPathResult binomial_path(const BinomialData& data, const double* alphas, int n_alphas,
                                 const double* coef_init, double intercept_init,
                                 const PathOptions& opt, const BinomialControls& controls,
                                 const Checkpoint& checkpoint, const CoefficientSink& sink) {
  if (opt.tol < 0) throw std::invalid_argument("tol must be >= 0");
  const BinomialNull null = binomial_null(data);
  BinomialSolver solver(data, opt, checkpoint);
  solver.start(coef_init, coef_init ? intercept_init : null.intercept);
  Poller poller(checkpoint);
  BinomialPathResult out;
  const double null_deviance = null.value - null.saturated;
  out.tol_unit = 2 * null_deviance;
  const int p = data.design.n_features();
  std::vector<char> ever(p, 0);
  std::size_t ever_nonzero = 0;
  // The strong rule's previous l1: alpha_max's for the first alpha.
  double l1_prev = 0;
  const ElasticNet unpenalised = ElasticNet::at(0.0, opt, 1);
  for (int j = 0; j < p; ++j) l1_prev = std::max(l1_prev, push(unpenalised, j, null.correlations));
  for (int k = 0; k < n_alphas; ++k) {
    const ElasticNet pen = ElasticNet::at(alphas[k], opt, 1);
    const double tol_abs = opt.tol * out.tol_unit;
    const bool users_start = k == 0 && coef_init != nullptr;
    const double accepted = users_start ? tol_abs : std::min(tol_abs, kSettledGap * out.tol_unit);
    const auto result = solve_on_working_sets(solver, data, opt, alphas[k], l1_prev, tol_abs,
                                              accepted, controls.max_newton, checkpoint);
    l1_prev = pen.l1();
    std::size_t nonzero = 0;
    for (int j = 0; j < p; ++j)
      if (solver.w()[j] != 0.0) {
        ++nonzero;
        if (!ever[j]) ever[j] = 1, ++ever_nonzero;
      }
    if (opt.pmax >= 0 && ever_nonzero > static_cast<std::size_t>(opt.pmax)) break;
    sink(k, solver.w().data());
    const double ratio =
        null_deviance > 0 ? 1 - (solver.loss() - null.saturated) / null_deviance : 0.0;
    out.gaps.push_back(result.gap);
    out.n_iter.push_back(result.epochs);
    out.converged.push_back(result.converged);
    out.residual_epochs += result.residual_epochs;
    out.intercepts.push_back(solver.intercept());
    out.newton_steps.push_back(result.steps);
    out.deviance_ratios.push_back(ratio);
    out.n_done = k + 1;
    poller.alphas_done(k + 1);
    if (opt.dfmax >= 0 && nonzero > static_cast<std::size_t>(opt.dfmax)) break;
    if (k + 1 >= controls.min_alphas) {
      const double previous = k > 0 ? out.deviance_ratios[k - 1] : 0.0;
      if (ratio > controls.devmax || ratio - previous < controls.fdev * ratio) break;
    }
  }
  return out;
}

}  // namespace shrinkage
