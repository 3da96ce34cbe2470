#include "shrinkage/enet_path.hpp"

#include <stdexcept>

#include "shrinkage/path_driver.hpp"
#include "shrinkage/penalty.hpp"

namespace shrinkage {

template class PathDriver<ElasticNet>;
template class PathDriver<GroupL21>;

PathResult enet_path(GramSource& gram, const double* b, int n_tasks, double c,
                     const double* alphas, int n_alphas, const double* coef_init,
                     const PathOptions& opt, const Checkpoint& checkpoint,
                     const CoefficientSink& sink) {
  if (n_tasks < 1) throw std::invalid_argument("n_tasks must be >= 1");
  if (n_tasks == 1)
    return PathDriver<ElasticNet>(gram, b, 1, c, opt, checkpoint)
        .run(alphas, n_alphas, coef_init, sink);
  if (opt.positive)
    throw std::invalid_argument("positive=True is not supported with several targets");
  return PathDriver<GroupL21>(gram, b, n_tasks, c, opt, checkpoint)
      .run(alphas, n_alphas, coef_init, sink);
}

}  // namespace shrinkage
