#include "shrinkage/dispatch.hpp"

namespace shrinkage {

#if SHRINKAGE_DISPATCH
// One version per clone target of SHRINKAGE_MULTIVERSION; GCC's resolver picks among them as it
// picks among the kernels' clones.
namespace {
__attribute__((target("default"))) const char* resolved_level() { return "x86-64"; }
__attribute__((target(SHRINKAGE_TARGET_V3))) const char* resolved_level() { return "x86-64-v3"; }
__attribute__((target(SHRINKAGE_TARGET_V4))) const char* resolved_level() { return "x86-64-v4"; }
}  // namespace

const char* simd_level() { return resolved_level(); }
#else
const char* simd_level() { return "none"; }
#endif

}  // namespace shrinkage
