// Ctrl-C for kernels running with the GIL released.
#pragma once

#include <pybind11/pybind11.h>

namespace shrinkage::bind {

// An Interrupted callback: retakes the GIL to run pending signal handlers; a KeyboardInterrupt
// (or any error they raise) stays set, for the binding to raise once the kernel has returned.
inline bool python_interrupted() {
  pybind11::gil_scoped_acquire acquire;
  return PyErr_CheckSignals() != 0;
}

}  // namespace shrinkage::bind
