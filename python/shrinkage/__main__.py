"""Demo job: python -m shrinkage fits a Lasso path on a generated problem and prints it.

    python -m shrinkage                          # problem T1: 5000 samples x 100 features
    python -m shrinkage --problem W2 --model enet --l1-ratio 0.5
    python -m shrinkage --alphas 1,0.1,0.01      # your own alphas instead of a grid
    python -m shrinkage --data data.csv --target price --output path.npz
    python -m shrinkage --data data.npy --target -1
"""

from __future__ import annotations

import argparse
import csv
import sys
import time

import numpy as np

from . import datasets, enet_path


def load_table(path, target):
    """X, y and feature names from a .npy (2-D array) or .csv file (header optional)."""
    if path.endswith(".npy"):
        data = np.load(path)
        if data.ndim != 2 or data.shape[1] < 2:
            raise SystemExit(f"{path}: need a 2-D array with at least two columns")
        names = [f"x{i}" for i in range(data.shape[1])]
    else:
        with open(path, newline="") as f:
            first = next(csv.reader(f))
        try:
            [float(v) for v in first]
            names, skip = [f"x{i}" for i in range(len(first))], 0
        except ValueError:
            names, skip = [v.strip() for v in first], 1
        try:
            data = np.loadtxt(path, delimiter=",", skiprows=skip, ndmin=2)
        except ValueError as error:  # a text or empty cell
            raise SystemExit(f"{path}: not a numeric table ({error})") from None
    if target in names:
        col = names.index(target)
    else:
        try:
            col = int(target) % data.shape[1]
        except ValueError:
            raise SystemExit(f"target column {target!r} not found in {names}") from None
    X = np.delete(data, col, axis=1)
    return X, data[:, col], [n for i, n in enumerate(names) if i != col]


def alphas_argument(text):
    """--alphas: a count of grid points (an int), or the alphas themselves, comma-separated."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a count nor comma-separated alphas (e.g. 100 or 1,0.1,0.01)"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("no alphas given")
    return np.array(values)


def main(argv=None):
    from . import __version__

    problems = ", ".join(f"{name} ({n} x {p})" for name, (n, p) in datasets.PROBLEMS.items())
    parser = argparse.ArgumentParser(prog="python -m shrinkage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"shrinkage {__version__}")
    parser.add_argument("--problem", default="T1", choices=sorted(datasets.PROBLEMS),
                        metavar="NAME", help="built-in generated problem, rows equicorrelated "
                        f"at 0.5 (default T1): {problems}")
    parser.add_argument("--data", help=".csv or .npy file instead of a generated problem")
    parser.add_argument("--target", default="-1", help="target column: name or index (-1)")
    parser.add_argument("--no-center", action="store_true",
                        help="do not centre X and y of a data file (no intercept)")
    parser.add_argument("--model", default="lasso", choices=["lasso", "enet"])
    parser.add_argument("--l1-ratio", type=float, default=0.5, help="for --model enet")
    parser.add_argument("--alphas", type=alphas_argument, default=100,
                        help="how many alphas on the grid (default 100), or the alphas "
                        "themselves, comma-separated")
    parser.add_argument("--eps", type=float, default=1e-3,
                        help="the grid's smallest alpha over its largest (default 1e-3)")
    parser.add_argument("--tol", type=float, default=1e-4,
                        help="each alpha's duality gap is at most tol * ||y||^2 / n_samples "
                        "(scikit-learn's tolerance; default 1e-4)")
    parser.add_argument("--output", default="table", help="'table' or a .npz file for the path")
    args = parser.parse_args(argv)

    if args.data:
        try:
            X, y, _ = load_table(args.data, args.target)
        except OSError as error:
            raise SystemExit(f"{args.data}: {error.strerror or error}") from None
        if not args.no_center:
            X = X - X.mean(axis=0)
            y = y - y.mean()
        source = args.data
    else:
        X, y = datasets.benchmark_problem(args.problem)
        source = f"problem {args.problem}"
    l1_ratio = 1.0 if args.model == "lasso" else args.l1_ratio
    if l1_ratio == 0:
        raise SystemExit("--l1-ratio 0 is ridge regression, whose path has no alpha where every "
                         "coefficient is zero to start the grid from: use shrinkage.ridge_path "
                         "with your alphas, or a small positive --l1-ratio.")

    start = time.perf_counter()
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=l1_ratio, alphas=args.alphas, eps=args.eps,
                                    tol=args.tol)
    elapsed = time.perf_counter() - start
    nonzeros = (coefs != 0).sum(axis=0)
    # A gap within rounding of zero may come out a little negative: that is noise, shown as 0.
    gaps = np.maximum(gaps, 0.0)
    allowed = args.tol * np.dot(y, y) / len(y)  # the gap tol allows, in dual_gaps' units

    if args.output != "table":
        path = args.output if args.output.endswith(".npz") else args.output + ".npz"
        np.savez(path, alphas=alphas, coefs=coefs, dual_gaps=gaps)  # savez adds .npz anyway
        print(f"wrote {path}: alphas {alphas.shape}, coefs {coefs.shape}")
        return 0
    print(f"{args.model} path on {source}: n={X.shape[0]}, p={X.shape[1]}, "
          f"{len(alphas)} alphas, tol={args.tol:g}")
    print(f"{'alpha':>12} {'non-zeros':>10} {'dual gap':>12} {'gap / allowed':>14}")
    rows = sorted(set(np.linspace(0, len(alphas) - 1, min(len(alphas), 11)).astype(int)))
    for k in rows:
        print(f"{alphas[k]:12.4e} {nonzeros[k]:10d} {gaps[k]:12.3e} {gaps[k] / allowed:14.3f}")
    worst = gaps.max() / allowed
    verdict = "every alpha certified" if worst <= 1 else "see the ConvergenceWarning"
    print(f"largest gap / allowed: {worst:.3f}, {verdict} (allowed: tol * ||y||^2 / n_samples "
          f"= {allowed:.3e})")
    print(f"time: {elapsed:.4f} s (one call, the first in this process: it includes warming up; "
          "repeated calls are faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
