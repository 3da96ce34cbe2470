// The dispatched SIMD level is the best one the CPU supports, so the kernels cannot silently
// run a lower clone (as clones chosen by CPU model did on every CPU that was not the model).
#include <doctest/doctest.h>

#include <string>

#include "shrinkage/dispatch.hpp"

TEST_CASE("the dispatched SIMD level is the CPU's best") {
  const std::string level = shrinkage::simd_level();
#if SHRINKAGE_DISPATCH
  // Levels by their features, read through cpuid by the compiler's runtime.
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi2");
  const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
  CHECK(level == (v4 ? "x86-64-v4" : v3 ? "x86-64-v3" : "x86-64"));
#else
  CHECK(level == "none");
#endif
}
