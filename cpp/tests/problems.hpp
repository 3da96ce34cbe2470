// Small random problems and dense references for the tests.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "shrinkage/enet_path.hpp"
#include "shrinkage/sparse_design.hpp"

namespace shrinkage::testing {

// Column-major n x p design with rows correlated through a common factor (rho), and a target
// from a sparse coefficient vector plus noise.
struct Problem {
  int n, p;
  std::vector<double> x, y;
  std::vector<double> gram;  // X^T X / n, p x p
  std::vector<double> b;     // X^T y / n
  double c;                  // y^T y / n
};

inline Problem make_problem(int n, int p, double rho, unsigned seed, int n_tasks = 1) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Problem pr{n, p, std::vector<double>(std::size_t(n) * p), std::vector<double>(std::size_t(n) * n_tasks),
             std::vector<double>(std::size_t(p) * p), std::vector<double>(std::size_t(p) * n_tasks), 0};
  for (int i = 0; i < n; ++i) {
    const double common = normal(rng);
    for (int j = 0; j < p; ++j)
      pr.x[std::size_t(j) * n + i] = std::sqrt(1 - rho) * normal(rng) + std::sqrt(rho) * common;
  }
  for (int t = 0; t < n_tasks; ++t)
    for (int i = 0; i < n; ++i) {
      double v = 0.5 * normal(rng);
      for (int j = 0; j < std::min(p, 5); ++j)
        v += (j % 2 ? -1.0 : 1.0) * (1.0 + 0.3 * t) * pr.x[std::size_t(j) * n + i];
      pr.y[std::size_t(t) * n + i] = v;
    }
  for (int j = 0; j < p; ++j)
    for (int k = 0; k < p; ++k) {
      double s = 0;
      for (int i = 0; i < n; ++i) s += pr.x[std::size_t(j) * n + i] * pr.x[std::size_t(k) * n + i];
      pr.gram[std::size_t(k) * p + j] = s / n;
    }
  for (int t = 0; t < n_tasks; ++t)
    for (int j = 0; j < p; ++j) {
      double s = 0;
      for (int i = 0; i < n; ++i) s += pr.x[std::size_t(j) * n + i] * pr.y[std::size_t(t) * n + i];
      pr.b[std::size_t(t) * p + j] = s / n;
    }
  for (double v : pr.y) pr.c += v * v / n;
  return pr;
}

// q = b - G w (p x k).
inline std::vector<double> gradient(const Problem& pr, const std::vector<double>& w, int k = 1) {
  std::vector<double> q(pr.b);
  for (int t = 0; t < k; ++t)
    for (int j = 0; j < pr.p; ++j)
      for (int l = 0; l < pr.p; ++l)
        q[std::size_t(t) * pr.p + j] -= pr.gram[std::size_t(l) * pr.p + j] * w[std::size_t(t) * pr.p + l];
  return q;
}

// A path and its coefficients (n_tasks x p x n_alphas, C order, as the bindings return them).
struct SolvedPath {
  PathResult result;
  std::vector<double> coefs;
};
inline SolvedPath solve_path(GramSource& gram, const std::vector<double>& b, int n_tasks,
                             double c, const std::vector<double>& alphas, const PathOptions& opt,
                             const Checkpoint& checkpoint = {}) {
  SolvedPath out;
  const int p = gram.n_features(), k = static_cast<int>(alphas.size());
  out.coefs.assign(static_cast<std::size_t>(n_tasks) * p * k, 0.0);
  out.result = enet_path(gram, b.data(), n_tasks, c, alphas.data(), k, nullptr, opt, checkpoint,
                         [&](int a, const double* w) {
                           for (std::size_t e = 0; e < std::size_t(n_tasks) * p; ++e)
                             out.coefs[e * k + a] = w[e];
                         });
  return out;
}

// CSC of X with the entries of |x| < threshold dropped (so the result is the same matrix as
// the dense one with those zeroed); `shuffle` reverses each column's row order.
struct Csc {
  std::vector<std::int64_t> indptr;
  std::vector<std::int32_t> indices;
  std::vector<double> data;
  Compressed arrays() const { return {indptr.data(), indices.data(), data.data()}; }
  SparseDesign source(int n, int p) const { return SparseDesign(arrays(), {}, n, p, 1.0); }
};
// The CSR arrays of column-major X (n x p), its zeros dropped.
inline Csc to_csr(const std::vector<double>& x, int n, int p) {
  Csc m;  // the same three arrays, over rows
  m.indptr.push_back(0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < p; ++j)
      if (const double v = x[std::size_t(j) * n + i]; v != 0.0) {
        m.indices.push_back(j);
        m.data.push_back(v);
      }
    m.indptr.push_back(static_cast<std::int64_t>(m.data.size()));
  }
  return m;
}
inline Csc to_csc(std::vector<double>& x, int n, int p, double threshold, bool reverse_rows) {
  Csc m;
  m.indptr.push_back(0);
  for (int j = 0; j < p; ++j) {
    for (int k = 0; k < n; ++k) {
      const int i = reverse_rows ? n - 1 - k : k;
      double& v = x[std::size_t(j) * n + i];
      if (std::fabs(v) < threshold) {
        v = 0.0;
        continue;
      }
      m.indices.push_back(i);
      m.data.push_back(v);
    }
    m.indptr.push_back(static_cast<std::int64_t>(m.data.size()));
  }
  return m;
}
inline std::vector<double> sq_norms(const std::vector<double>& x, int n, int p) {
  std::vector<double> s(p, 0.0);
  for (int j = 0; j < p; ++j)
    for (int i = 0; i < n; ++i) s[j] += x[std::size_t(j) * n + i] * x[std::size_t(j) * n + i];
  return s;
}
inline std::vector<double> unscaled_gram(const std::vector<double>& x, int n, int p) {
  std::vector<double> g(std::size_t(p) * p, 0.0);
  for (int j = 0; j < p; ++j)
    for (int k = 0; k < p; ++k)
      for (int i = 0; i < n; ++i) g[std::size_t(k) * p + j] += x[std::size_t(j) * n + i] * x[std::size_t(k) * n + i];
  return g;
}

}  // namespace shrinkage::testing
