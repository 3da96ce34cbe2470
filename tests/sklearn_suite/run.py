"""Runs scikit-learn's test_coordinate_descent, test_sparse_coordinate_descent and test_ridge
modules (from the installed scikit-learn) on shrinkage's estimators and path functions, and
prints each module's counts: passed, listed in known_differences.py, failed (scikit-learn's own
skips and xfails aside). Fails when any test outside the list fails, or a listed one passes.

    python tests/sklearn_suite/run.py [pytest options]
"""

import os
import pathlib
import subprocess
import sys

import sklearn

MODULES = ("test_coordinate_descent.py", "test_sparse_coordinate_descent.py", "test_ridge.py")


def main(extra):
    package = pathlib.Path(sklearn.__file__).parent
    tests = package / "linear_model" / "tests"
    here = pathlib.Path(__file__).parent
    path = os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    status = 0
    for module in MODULES:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", str(tests / module), "-p", "plugin", "-q",
             "-p", "no:cacheprovider", "--no-header", "-rfE", "-o", "addopts=",
             # scikit-learn's conftest.py (its fixtures) loads only under the rootdir
             f"--rootdir={package}", *extra],
            cwd=here, env=env, capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        counts = [line for line in lines if line.startswith("shrinkage: ")]
        summary = lines[-1] if lines else "?"
        print(f"{module}: {counts[0] if counts else '?'} ({summary.strip('= ')})", flush=True)
        if result.returncode != 0:
            print("\n".join(line for line in lines if line.startswith(("FAILED", "ERROR"))))
        status = max(status, result.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
