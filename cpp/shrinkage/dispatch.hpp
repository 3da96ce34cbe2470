// Runtime instruction-set dispatch for the hot loops.
//
// Wheels are built for the x86-64 baseline; a function marked SHRINKAGE_MULTIVERSION is also
// compiled for the x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512) levels, and the loader picks
// the best clone the CPU supports (GCC ifunc). The levels are tested by CPU feature, so every
// vendor's CPUs get their clone ("arch=haswell"-style clones test the CPU model and fall back
// to the baseline on all others). Elsewhere (GCC before 12, Clang, other systems) and in builds
// that define SHRINKAGE_NO_MULTIVERSION (ThreadSanitizer does not support ifunc), it is an
// ordinary function.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && \
    defined(__linux__) && !defined(SHRINKAGE_NO_MULTIVERSION)
#define SHRINKAGE_DISPATCH 1
#define SHRINKAGE_TARGET_V3 "arch=x86-64-v3"
#define SHRINKAGE_TARGET_V4 "arch=x86-64-v4"
#define SHRINKAGE_MULTIVERSION \
  __attribute__((target_clones("default", SHRINKAGE_TARGET_V3, SHRINKAGE_TARGET_V4)))
#else
#define SHRINKAGE_DISPATCH 0
#define SHRINKAGE_MULTIVERSION
#endif

namespace shrinkage {

// The level whose clones run in this process: "x86-64-v4", "x86-64-v3" or "x86-64" where
// dispatch is built in, else "none". It is resolved by the same targets and rules as the
// kernels' clones, so it names the code they run.
const char* simd_level();

}  // namespace shrinkage
