// Runtime instruction-set dispatch for the hot loops.
//
// Wheels are built for the x86-64 baseline; a function marked SHRINKAGE_MULTIVERSION is also
// compiled for Haswell (AVX2 + FMA) and Skylake-AVX512, and the loader picks the best clone
// the CPU supports (GCC/Clang ifunc). Elsewhere, and in builds that define
// SHRINKAGE_NO_MULTIVERSION (ThreadSanitizer does not support ifunc), it is an ordinary function.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__) && \
    !defined(SHRINKAGE_NO_MULTIVERSION)
#define SHRINKAGE_MULTIVERSION \
  __attribute__((target_clones("default", "arch=haswell", "arch=skylake-avx512")))
#else
#define SHRINKAGE_MULTIVERSION
#endif
