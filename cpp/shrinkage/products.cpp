#include "shrinkage/products.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include "shrinkage/blas.hpp"

namespace shrinkage {

// In tiles so that both the reads and the strided writes stay in cache.
void mirror_lower(double* a, int p) {
  constexpr int kTile = 64;
  const std::size_t ld = static_cast<std::size_t>(p);
  for (int jb = 0; jb < p; jb += kTile)
    for (int ib = jb; ib < p; ib += kTile)
      for (int j = jb; j < std::min(jb + kTile, p); ++j)
        for (int i = std::max(ib, j + 1); i < std::min(ib + kTile, p); ++i)
          a[i * ld + j] = a[j * ld + i];
}

namespace {
// Runs block(worker, first_row, rows) over the row blocks of [0, n) on `workers` threads (the
// caller's among them), each worker taking the next block when it is free, so one slowed by
// other work on its core takes fewer. Only the calling thread (worker 0) polls `interrupted`
// (Python's signal handlers run there): between its blocks, and every few milliseconds while
// it waits for the others. Returns false if it was interrupted.
template <class Block>
bool parallel_row_blocks(int n, int rows, int workers, const Interrupted& interrupted,
                         Block&& block) {
  const int blocks = (n + rows - 1) / rows;
  std::atomic<int> next{0}, finished{0};
  std::atomic<bool> stop{false};
  const auto polled = [&] {
    if (interrupted && interrupted()) stop = true;
    return stop.load();
  };
  const auto work = [&](int worker) {
    for (int b = next++; b < blocks && !stop; b = next++) {
      if (worker == 0 && b > 0 && polled()) break;
      block(worker, b * rows, std::min(rows, n - b * rows));
    }
    ++finished;
  };
  std::vector<std::thread> helpers;
  for (int w = 1; w < workers; ++w) helpers.emplace_back(work, w);
  work(0);
  while (finished < workers && !polled())
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  for (auto& helper : helpers) helper.join();
  return !stop;
}

// X^T X accumulated over row blocks by `workers` threads of single-threaded syrk, each into
// its own lower triangle (the first into `out`), then summed and mirrored. `syrk_rows(acc,
// scratch, first_row, rows)` adds the rows' product to acc. Blocks of about 1e9 multiply-adds
// (tens of ms at BLAS speed, so the tail is short) and at least 512 rows, where syrk's
// blocking stays efficient.
template <class SyrkRows>
bool gram_by_workers(int n, int p, int max_rows, int workers, double* out,
                     const Interrupted& interrupted, SyrkRows&& syrk_rows) {
  const std::size_t pp = static_cast<std::size_t>(p) * p;
  std::fill(out, out + pp, 0.0);
  if (n == 0) return true;
  const double per_row = std::max(1.0, double(p) * p);
  const int rows = std::max(1, std::min({n, max_rows, static_cast<int>(
                                            std::max(512.0, 1e9 / per_row))}));
  workers = std::max(1, std::min(workers, (n + rows - 1) / rows));
  std::vector<std::vector<double>> partial(static_cast<std::size_t>(workers - 1));
  std::vector<std::vector<double>> scratch(static_cast<std::size_t>(workers));
  const bool done = parallel_row_blocks(n, rows, workers, interrupted,
                                        [&](int worker, int r0, int rb) {
    double* acc = out;
    if (worker > 0) {
      auto& mine = partial[worker - 1];
      if (mine.empty()) mine.assign(pp, 0.0);
      acc = mine.data();
    }
    syrk_rows(acc, scratch[worker], r0, rb);
  });
  if (!done) return false;
  for (const auto& acc : partial)
    if (!acc.empty())
      for (int j = 0; j < p; ++j)
        for (int i = j; i < p; ++i)
          out[static_cast<std::size_t>(j) * p + i] += acc[static_cast<std::size_t>(j) * p + i];
  mirror_lower(out, p);
  return true;
}
}  // namespace

bool dense_gram(const double* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted, int workers) {
  return gram_by_workers(n, p, n, workers, out, interrupted,
                         [&](double* acc, std::vector<double>&, int r0, int rb) {
    if (fortran_order)
      blas::syrk('T', p, rb, 1.0, x + r0, n, 1.0, acc, p);
    else
      blas::syrk('N', p, rb, 1.0, x + static_cast<std::size_t>(r0) * p, p, 1.0, acc, p);
  });
}

bool dense_gram(const float* x, int n, int p, bool fortran_order, double* out,
                const Interrupted& interrupted, int workers) {
  // float32 rows are converted into a worker's scratch of about 8 MiB first.
  const int max_rows = std::max(1, (1 << 20) / std::max(p, 1));
  return gram_by_workers(n, p, max_rows, workers, out, interrupted,
                         [&](double* acc, std::vector<double>& block, int r0, int rb) {
    block.resize(static_cast<std::size_t>(rb) * p);
    detail::rows_to_double(x, n, p, fortran_order, r0, rb, block.data());
    blas::syrk('T', p, rb, 1.0, block.data(), rb, 1.0, acc, p);
  });
}

void cross_product(const double* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out) {
  if (k == 1) {  // streams X once; gemm would first pack a copy of it
    blas::gemv(fortran_order ? 'T' : 'N', fortran_order ? n : p, fortran_order ? p : n, 1.0, x,
               fortran_order ? n : p, y, 0.0, out);
  } else if (fortran_order) {
    blas::gemm('T', 'N', p, k, n, 1.0, x, n, y, n, 0.0, out, p);
  } else {
    blas::gemm('N', 'N', p, k, n, 1.0, x, p, y, n, 0.0, out, p);
  }
}

void cross_product(const float* x, int n, int p, bool fortran_order, const double* y, int k,
                   double* out) {
  detail::for_row_blocks(x, n, p, fortran_order, [&](const double* xb, int r0, int rb, double beta) {
    if (k == 1)
      blas::gemv('T', rb, p, 1.0, xb, rb, y + r0, beta, out);
    else
      blas::gemm('T', 'N', p, k, rb, 1.0, xb, rb, y + r0, n, beta, out, p);
  });
}

}  // namespace shrinkage
