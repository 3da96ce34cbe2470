// How the long kernels (a Gram, the moments, a factorisation) are stopped: a callback polled
// between their blocks; returning true abandons the work (whose output is then incomplete), and
// the caller raises.
#pragma once

#include <functional>

namespace shrinkage {

using Interrupted = std::function<bool()>;

}  // namespace shrinkage
