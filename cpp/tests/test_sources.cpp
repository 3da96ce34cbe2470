// The Gram sources agree with each other and with a dense reference; a sparse source shared by
// threads gives each the same blocks; the wide source's bounded gradient keeps its bounds.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "problems.hpp"
#include "shrinkage/dense_design.hpp"
#include "shrinkage/full_gram.hpp"
#include "shrinkage/sparse_design.hpp"

using namespace shrinkage;

using testing::Csc;
using testing::sq_norms;
using testing::to_csc;
using testing::unscaled_gram;

TEST_CASE("full, dense-design and sparse sources give the same blocks and gradients") {
  const int n = 50, p = 70;
  auto pr = testing::make_problem(n, p, 0.3, 8);
  const Csc csc = to_csc(pr.x, n, p, 0.6, true);  // unsorted row indices
  const auto norms = sq_norms(pr.x, n, p);
  const auto gram_values = unscaled_gram(pr.x, n, p);
  const double scale = 1.0 / n;
  FullGram full(gram_values.data(), p, scale);
  DenseDesign<double> dense(pr.x.data(), n, p, true, norms.data(), scale);
  SparseDesign sparse(csc.arrays(), {}, n, p, scale);
  const std::vector<int> ws = {3, 17, 5, 60, 0};
  std::vector<double> w(p, 0.0);
  w[3] = 0.5;
  w[60] = -1.25;
  const std::vector<int> support = {3, 60};
  std::vector<double> b(p);
  for (int j = 0; j < p; ++j) b[j] = std::cos(j);
  std::vector<std::vector<double>> blocks, gradients;
  for (GramSource* source : std::vector<GramSource*>{&full, &dense, &sparse}) {
    SourceScratch scratch;
    std::vector<double> H(25), q(p);
    source->fill_block(ws.data(), 5, 0, H.data(), 5, scratch);
    source->gradient(b.data(), w.data(), 1, support, q.data(), scratch);
    blocks.push_back(H);
    gradients.push_back(q);
  }
  for (int s = 1; s < 3; ++s) {
    for (int e = 0; e < 25; ++e) CHECK(blocks[s][e] == doctest::Approx(blocks[0][e]).epsilon(1e-12));
    for (int j = 0; j < p; ++j) CHECK(gradients[s][j] == doctest::Approx(gradients[0][j]).epsilon(1e-12));
  }
}

TEST_CASE("sparse source: duplicates are summed, bad structure is refused") {
  // X = [[1, 0], [2, 3]] with X[1, 0] stored as 0.5 + 1.5.
  const std::vector<std::int64_t> indptr = {0, 3, 4};
  const std::vector<std::int32_t> indices = {1, 0, 1, 1};
  const std::vector<double> data = {0.5, 1.0, 1.5, 3.0};
  SparseDesign gram({indptr.data(), indices.data(), data.data()}, {}, 2, 2, 1.0);
  CHECK(gram.diagonal()[0] == 5.0);
  CHECK(gram.diagonal()[1] == 9.0);
  const int both[2] = {0, 1};
  SourceScratch scratch;
  std::vector<double> H(4);
  gram.fill_block(both, 2, 0, H.data(), 2, scratch);
  CHECK(H[0] == doctest::Approx(5.0));  // 1 + 2^2
  CHECK(H[1] == doctest::Approx(6.0));  // 2 * 3
  CHECK(H[2] == doctest::Approx(6.0));
  CHECK(H[3] == doctest::Approx(9.0));
  const std::vector<double> b = {0.0, 0.0}, w = {1.0, 0.0};
  std::vector<double> q(2);
  gram.gradient(b.data(), w.data(), 1, {0}, q.data(), scratch);
  CHECK(q[0] == doctest::Approx(-5.0));
  CHECK(q[1] == doctest::Approx(-6.0));
  const std::vector<std::int32_t> out_of_range = {1, 0, 2, 1};
  CHECK_THROWS_AS(SparseDesign({indptr.data(), out_of_range.data(), data.data()}, {}, 2, 2, 1.0),
                  std::invalid_argument);
  const std::vector<std::int64_t> decreasing = {0, 3, 2};
  CHECK_THROWS_AS(SparseDesign({decreasing.data(), indices.data(), data.data()}, {}, 2, 2, 1.0),
                  std::invalid_argument);
  // X's CSR arrays are checked as its CSC ones: a column index out of range.
  const std::vector<std::int64_t> row_start = {0, 1, 4};
  const std::vector<std::int32_t> bad_features = {0, 0, 2, 1};
  CHECK_THROWS_AS(SparseDesign({indptr.data(), indices.data(), data.data()},
                               {row_start.data(), bad_features.data(), data.data()}, 2, 2, 1.0),
                  std::invalid_argument);
}

TEST_CASE("sparse source: weights and centres give the Gram of sqrt(s) (X - 1 m^T)") {
  const int n = 30, p = 12;
  auto pr = testing::make_problem(n, p, 0.3, 12);
  const Csc csc = to_csc(pr.x, n, p, 0.7, false);
  std::vector<double> s(n), m(p, 0.0), z(pr.x.size());
  double total = 0;
  for (int i = 0; i < n; ++i) total += s[i] = 0.5 + (i % 4);
  for (int j = 0; j < p; ++j) {
    for (int i = 0; i < n; ++i) m[j] += s[i] * pr.x[std::size_t(j) * n + i] / total;
    for (int i = 0; i < n; ++i)
      z[std::size_t(j) * n + i] = std::sqrt(s[i]) * (pr.x[std::size_t(j) * n + i] - m[j]);
  }
  const auto norms = sq_norms(z, n, p);
  const auto reference = unscaled_gram(z, n, p);
  SparseDesign sparse(csc.arrays(), {}, n, p, 0.5, s.data(), m.data());
  for (int j = 0; j < p; ++j) CHECK(sparse.diagonal()[j] == doctest::Approx(norms[j]).epsilon(1e-12));
  const std::vector<int> ws = {4, 0, 11, 7};
  SourceScratch scratch;
  std::vector<double> H(16);
  sparse.fill_block(ws.data(), 2, 0, H.data(), 4, scratch);  // in two parts, as a set grows
  sparse.fill_block(ws.data(), 4, 2, H.data(), 4, scratch);
  for (int k = 0; k < 2; ++k)  // the old columns' new rows, by symmetry (as WorkingSet does)
    for (int i = 2; i < 4; ++i) H[k * 4 + i] = H[i * 4 + k];
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 4; ++i)
      CHECK(H[k * 4 + i] ==
            doctest::Approx(0.5 * reference[std::size_t(ws[k]) * p + ws[i]]).epsilon(1e-12));
  std::vector<double> b(p), w(p, 0.0), q(p);
  for (int j = 0; j < p; ++j) b[j] = std::sin(j);
  w[0] = 2.0;
  w[7] = -0.75;
  sparse.gradient(b.data(), w.data(), 1, {0, 7}, q.data(), scratch);
  for (int j = 0; j < p; ++j) {
    const double g = 0.5 * (reference[std::size_t(j) * p] * 2.0 -
                            reference[std::size_t(j) * p + 7] * 0.75);
    CHECK(q[j] == doctest::Approx(b[j] - g).epsilon(1e-12));
  }
}

TEST_CASE("a sparse source shared by threads gives each the same blocks") {
  const int n = 40, p = 600;
  auto pr = testing::make_problem(n, p, 0.2, 9);
  const Csc csc = to_csc(pr.x, n, p, 0.8, false);
  const auto norms = sq_norms(pr.x, n, p);
  SparseDesign gram = csc.source(n, p);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      SourceScratch scratch;
      for (int r = 0; r < 200; ++r) {
        int batch[3];
        for (int& j : batch) j = static_cast<int>(rng() % p);
        std::vector<double> H(9);
        gram.fill_block(batch, 3, 0, H.data(), 3, scratch);
        for (int k = 0; k < 3; ++k)  // the diagonal entry is the column's squared norm
          mismatches[t] += std::fabs(H[k * 4] - norms[batch[k]]) > 1e-12 * (1 + norms[batch[k]]);
      }
    });
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}

TEST_CASE("the wide source's bounded gradient is within its bounds, exact where asked") {
  const int n = 300, p = 400;
  auto pr = testing::make_problem(n, p, 0.5, 11);
  for (double& v : pr.x) v = 1e4 + v;  // entries float32 represents badly
  const auto norms = sq_norms(pr.x, n, p);
  const double scale = 1.0 / n;
  DenseDesign<double> source(pr.x.data(), n, p, true, norms.data(), scale);
  std::vector<double> w(p, 0.0), b(p);
  for (int j = 0; j < p; j += 37) w[j] = 1e-4 * (j % 2 ? 1 : -1);
  for (int j = 0; j < p; ++j) b[j] = std::sin(j);
  std::vector<int> support;
  for (int j = 0; j < p; ++j)
    if (w[j] != 0) support.push_back(j);
  SourceScratch s1, s2;
  std::vector<double> exact(p), q(p), err(p);
  source.gradient(b.data(), w.data(), 1, support, exact.data(), s1);
  const std::vector<int> asked = {0, 5, 399};
  REQUIRE(source.bounded_gradient(b.data(), w.data(), support, asked, q.data(), err.data(), s2));
  int loose = 0;
  for (int j = 0; j < p; ++j) {
    if (err[j] > 0) CHECK(std::fabs(q[j] - exact[j]) <= err[j] * (1 + 1e-6));  // slack: exact's rounding
    loose += err[j] > 0;
  }
  CHECK(loose > 0);
  for (int j : asked) {
    CHECK(err[j] == 0.0);
    CHECK(q[j] == doctest::Approx(exact[j]).epsilon(1e-10));
  }
}

TEST_CASE("designs of one X under other weights share one float32 view") {
  // A fold's design shares the whole data's view: its bounded gradient is the one it computes
  // with a view of its own, bit for bit; a design over another X refuses to share.
  const int n = 300, p = 120;
  auto pr = testing::make_problem(n, p, 0.5, 13);
  const auto norms = sq_norms(pr.x, n, p);
  std::vector<double> weight(n);
  for (int i = 0; i < n; ++i) weight[i] = i % 5 ? 1.0 : 0.0;  // a fold: every fifth row held out
  DenseDesign<double> whole(pr.x.data(), n, p, true, norms.data(), 1.0 / n);
  DenseDesign<double> fold(pr.x.data(), n, p, true, norms.data(), 1.0 / n, weight.data());
  DenseDesign<double> alone(pr.x.data(), n, p, true, norms.data(), 1.0 / n, weight.data());
  CHECK_FALSE(fold.shares_view_with(whole));
  fold.share_view_with(whole);
  CHECK(fold.shares_view_with(whole));
  CHECK_FALSE(alone.shares_view_with(whole));
  std::vector<double> w(p, 0.0), b(p), q1(p), q2(p), e1(p), e2(p);
  w[3] = 0.5;
  w[40] = -0.25;
  for (int j = 0; j < p; ++j) b[j] = std::cos(j);
  SourceScratch s1, s2;
  REQUIRE(fold.bounded_gradient(b.data(), w.data(), {3, 40}, {}, q1.data(), e1.data(), s1));
  REQUIRE(alone.bounded_gradient(b.data(), w.data(), {3, 40}, {}, q2.data(), e2.data(), s2));
  for (int j = 0; j < p; ++j) {
    CHECK(q1[j] == q2[j]);
    CHECK(e1[j] == e2[j]);
  }
  std::vector<double> other(pr.x);
  DenseDesign<double> elsewhere(other.data(), n, p, true, norms.data(), 1.0 / n);
  CHECK_THROWS_AS(elsewhere.share_view_with(whole), std::invalid_argument);
}

TEST_CASE("designs agree: CSC, CSC with X's CSR arrays, dense in both orders, reweighted") {
  // Every design of one weighted, centred X against dense products of Z = sqrt(s) (X - 1 m^T):
  // the diagonal, a block, the gradient and the working set's columns; then again after
  // reweight() to other weights and centres, against designs built afresh with those; and the
  // products with X itself.
  const int n = 40, p = 25;
  auto pr = testing::make_problem(n, p, 0.3, 31);
  const Csc csc = to_csc(pr.x, n, p, 0.8, false);
  const Csc csr = testing::to_csr(pr.x, n, p);
  std::vector<double> x_rows(pr.x.size());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < p; ++j) x_rows[std::size_t(i) * p + j] = pr.x[std::size_t(j) * n + i];
  const auto weighting = [&](unsigned seed, std::vector<double>& s, std::vector<double>& m) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.2, 3.0);
    s.resize(n);
    for (double& v : s) v = u(rng);
    double total = 0;
    for (double v : s) total += v;
    m.assign(p, 0.0);  // the weighted column means: the centres an intercept gives
    for (int j = 0; j < p; ++j)
      for (int i = 0; i < n; ++i) m[j] += s[i] * pr.x[std::size_t(j) * n + i] / total;
  };
  std::vector<double> s1, m1, s2, m2;
  weighting(1, s1, m1);
  weighting(2, s2, m2);
  const double scale = 0.5;
  const std::vector<int> ws = {4, 0, 11, 7, 19};
  std::vector<double> w(p, 0.0), b(p);
  w[0] = 2.0;
  w[7] = -0.75;
  w[19] = 0.3;
  for (int j = 0; j < p; ++j) b[j] = std::cos(j);
  std::vector<double> f(n);
  for (int i = 0; i < n; ++i) f[i] = std::sin(0.3 * i);

  // Each source keeps its scratch across the reweighting, as a path would: columns gathered
  // under the old weights must not be served under the new ones.
  const auto check = [&](GramSource& source, SourceScratch& scratch, const std::vector<double>& s,
                         const std::vector<double>& m) {
    std::vector<double> z(pr.x.size());
    for (int j = 0; j < p; ++j)
      for (int i = 0; i < n; ++i)
        z[std::size_t(j) * n + i] = std::sqrt(s[i]) * (pr.x[std::size_t(j) * n + i] - m[j]);
    const auto gram = unscaled_gram(z, n, p);
    for (int j = 0; j < p; ++j)
      CHECK(source.diagonal()[j] == doctest::Approx(gram[std::size_t(j) * p + j]).epsilon(1e-12));
    const int k = static_cast<int>(ws.size());
    std::vector<double> H(std::size_t(k) * k);
    source.fill_block(ws.data(), k, 0, H.data(), k, scratch);
    for (int c = 0; c < k; ++c)
      for (int r = c; r < k; ++r)  // the lower triangle: the part every source fills
        CHECK(H[std::size_t(c) * k + r] ==
              doctest::Approx(scale * gram[std::size_t(ws[c]) * p + ws[r]]).epsilon(1e-12));
    std::vector<double> q(p);
    source.gradient(b.data(), w.data(), 1, {0, 7, 19}, q.data(), scratch);
    for (int j = 0; j < p; ++j) {
      double g = 0;
      for (int l = 0; l < p; ++l) g += gram[std::size_t(j) * p + l] * w[l];
      CHECK(q[j] == doctest::Approx(b[j] - scale * g).epsilon(1e-12));
    }
    // The residual form's view: correlations with a sample-space vector (sparse: x^T S f with
    // the centring left to the solver; dense: z^T f) and the fit of a combination.
    const WorkingColumns cols = source.working_columns(ws.data(), k, scratch);
    std::vector<double> corr(k), fit(n);
    cols.correlations(k, f.data(), corr.data());
    const std::vector<double> v = {0.5, 0.0, -1.0, 2.0, 0.25};
    cols.combine(k, v.data(), fit.data());
    for (int c = 0; c < k; ++c) {
      const int j = ws[c];
      double expect = 0;
      for (int i = 0; i < n; ++i)
        expect += cols.dense() ? z[std::size_t(j) * n + i] * f[i]
                               : pr.x[std::size_t(j) * n + i] * s[i] * f[i];
      CHECK(corr[c] == doctest::Approx(expect).epsilon(1e-12));
      CHECK(cols.correlation(c, f.data()) == doctest::Approx(expect).epsilon(1e-12));
      CHECK(cols.offset(c) == doctest::Approx(cols.dense() ? 0.0 : m[j]).epsilon(1e-14));
    }
    for (int i = 0; i < n; ++i) {
      double expect = 0;
      for (int c = 0; c < k; ++c)
        expect += v[c] * (cols.dense() ? z[std::size_t(ws[c]) * n + i]
                                       : pr.x[std::size_t(ws[c]) * n + i]);
      CHECK(fit[i] == doctest::Approx(expect).epsilon(1e-12));
    }
    // X itself, as a datafit reads it: neither weighted nor centred.
    std::vector<double> xw(n), xtf(p);
    auto& design = dynamic_cast<Design&>(source);
    design.times(w.data(), xw.data());
    design.transposed_times(f.data(), 1, xtf.data());
    for (int i = 0; i < n; ++i) {
      double expect = 0;
      for (int j = 0; j < p; ++j) expect += pr.x[std::size_t(j) * n + i] * w[j];
      CHECK(xw[i] == doctest::Approx(expect).epsilon(1e-12));
    }
    for (int j = 0; j < p; ++j) {
      double expect = 0;
      for (int i = 0; i < n; ++i) expect += pr.x[std::size_t(j) * n + i] * f[i];
      CHECK(xtf[j] == doctest::Approx(expect).epsilon(1e-12));
    }
    // Some of X's columns as a design of their own: X itself, unweighted, uncentred.
    const std::vector<int> some = {11, 0, 19};
    const auto columns = design.columns(some);
    REQUIRE(columns->n_features() == 3);
    std::vector<double> ctf(3);
    columns->transposed_times(f.data(), 1, ctf.data());
    for (int k = 0; k < 3; ++k) {
      CHECK(ctf[k] == doctest::Approx(xtf[some[k]]).epsilon(1e-12));
      const double* xk = pr.x.data() + std::size_t(some[k]) * n;
      double norm = 0;
      for (int i = 0; i < n; ++i) norm += xk[i] * xk[i];
      CHECK(columns->diagonal()[k] == doctest::Approx(norm).epsilon(1e-12));
    }
  };
  const std::vector<double> zeros(p, 0.0);  // norms: recomputed by reweight below
  SparseDesign from_columns(csc.arrays(), {}, n, p, scale, s1.data(), m1.data());
  SparseDesign with_rows(csc.arrays(), csr.arrays(), n, p, scale, s1.data(), m1.data());
  DenseDesign<double> fortran(pr.x.data(), n, p, true, zeros.data(), scale);
  DenseDesign<double> c_order(x_rows.data(), n, p, false, zeros.data(), scale);
  fortran.reweight(s1.data(), m1.data());
  c_order.reweight(s1.data(), m1.data());
  const std::vector<GramSource*> sources = {&from_columns, &with_rows, &fortran, &c_order};
  std::vector<SourceScratch> scratches(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) check(*sources[i], scratches[i], s1, m1);
  // An IRLS step's reweighting: the centres are the new weights' column means (m2), b = X^T f.
  for (GramSource* source : sources) {
    std::vector<double> b2(p), centres(p);
    dynamic_cast<Design&>(*source).reweight_for_model(s2.data(), true, f.data(), b2.data(),
                                                      centres.data());
    for (int j = 0; j < p; ++j) {
      double expect = 0;
      for (int i = 0; i < n; ++i) expect += pr.x[std::size_t(j) * n + i] * f[i];
      CHECK(b2[j] == doctest::Approx(expect).epsilon(1e-12));
      CHECK(centres[j] == doctest::Approx(m2[j]).epsilon(1e-12));
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) check(*sources[i], scratches[i], s2, m2);
}
