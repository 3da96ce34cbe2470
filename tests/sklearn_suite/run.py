"""Runs scikit-learn's test_coordinate_descent, test_sparse_coordinate_descent and test_ridge
modules (from the installed scikit-learn) on shrinkage's estimators and path functions, and
prints each module's counts.

    python tests/sklearn_suite/run.py [pytest options]
"""

import os
import pathlib
import subprocess
import sys

import sklearn

MODULES = ("test_coordinate_descent.py", "test_sparse_coordinate_descent.py", "test_ridge.py")


def main(extra):
    tests = pathlib.Path(sklearn.__file__).parent / "linear_model" / "tests"
    here = pathlib.Path(__file__).parent
    path = os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")])
    env = dict(os.environ, PYTHONPATH=path)
    status = 0
    for module in MODULES:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", str(tests / module), "-p", "plugin", "-q",
             "-p", "no:cacheprovider", "--no-header", "-rN", "-o", "addopts=", *extra],
            cwd=here, env=env, capture_output=True, text=True)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "?"
        print(f"{module}: {summary}", flush=True)
        status = max(status, result.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
