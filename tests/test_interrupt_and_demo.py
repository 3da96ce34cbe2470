"""Ctrl-C stops a long path promptly; the demo job runs and reads user files."""

import _thread
import os
import signal
import threading
import time

import numpy as np
import pytest

import shrinkage
from shrinkage.__main__ import main
from shrinkage.datasets import make_correlated_regression


def test_ctrl_c_interrupts_a_long_path():
    # tol = 0 can never be met: without the interrupt this runs for ~40 s (bounded by max_iter,
    # so that a lost interrupt fails the test instead of hanging the suite).
    X, y = make_correlated_regression(200, 3000, rho=0.9, random_state=0)
    # Python's own Ctrl-C handler, whatever an earlier test (a dask cluster) may have installed.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            shrinkage.lasso_path(X, y, tol=0.0, max_iter=2000, alphas=1000, eps=1e-6)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    # Responsiveness, not speed: the solver polls every few milliseconds.
    assert time.perf_counter() - start < 5.0


def test_demo_prints_the_path(capsys):
    assert main(["--problem", "T1", "--alphas", "20"]) == 0
    out = capsys.readouterr().out
    assert "lasso path on problem T1" in out and "every alpha certified" in out
    rows = [line for line in out.splitlines() if line.strip() and line.split()[0][0].isdigit()]
    assert len(rows) == 11
    assert all(float(row.split()[-1]) <= 1.0 for row in rows)  # gap / allowed


def test_demo_takes_alphas_a_version_and_names_a_missing_file(tmp_path, capsys):
    assert main(["--problem", "T1", "--alphas", "0.5,0.1, 0.01"]) == 0
    out = capsys.readouterr().out
    assert "3 alphas" in out and "5.0000e-01" in out and "1.0000e-02" in out
    with pytest.raises(SystemExit):
        main(["--alphas", "0.5,x"])
    assert "neither a count nor comma-separated alphas" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith(f"shrinkage {shrinkage.__version__}")
    with pytest.raises(SystemExit, match="missing.csv: No such file"):
        main(["--data", str(tmp_path / "missing.csv")])


def test_demo_reads_csv_with_header_and_writes_npz(tmp_path, capsys):
    X, y = make_correlated_regression(60, 4, random_state=1)
    path = tmp_path / "data.csv"
    header = "a,b,price,c,d"
    table = np.column_stack([X[:, :2], y, X[:, 2:]])
    np.savetxt(path, table, delimiter=",", header=header, comments="")
    out = tmp_path / "path.npz"
    assert main(["--data", str(path), "--target", "price", "--model", "enet",
                 "--output", str(out)]) == 0
    saved = np.load(out)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alphas, coefs, _ = shrinkage.enet_path(Xc, yc, l1_ratio=0.5)
    np.testing.assert_allclose(saved["coefs"], coefs, rtol=1e-6, atol=1e-10)


def test_demo_reads_npy_target_by_index(tmp_path, capsys):
    X, y = make_correlated_regression(60, 3, random_state=2)
    path = tmp_path / "data.npy"
    np.save(path, np.column_stack([y, X]))
    assert main(["--data", str(path), "--target", "0", "--alphas", "5"]) == 0
    assert "n=60, p=3" in capsys.readouterr().out


def _interrupt_latency(call, after=0.5):
    """Seconds from a Ctrl-C (a real SIGINT, as a terminal sends: it also wakes a main thread
    blocked in a lock, which _thread.interrupt_main does not) sent `after` seconds into `call`
    to its KeyboardInterrupt."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    sent = []

    def interrupt():
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(after, interrupt)
    timer.start()
    try:
        call()
    except KeyboardInterrupt:
        return time.perf_counter() - sent[0]
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    pytest.fail("the call ended before the interrupt was sent")


@pytest.fixture(scope="module")
def tall():
    # A Gram that takes seconds: one uninterruptible syrk used to delay Ctrl-C by all of it.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60_000, 2000))
    return X, X[:, 0] + rng.standard_normal(60_000)


@pytest.mark.slow
@pytest.mark.parametrize("what", ["lasso_path Gram", "ridge_path Gram", "GramStats", "stream",
                                  "LassoCV threads"])
def test_ctrl_c_lands_within_a_second(tall, what):
    X, y = tall
    calls = {
        "lasso_path Gram": lambda: shrinkage.lasso_path(X, y, precompute=True, alphas=3),
        "ridge_path Gram": lambda: shrinkage.ridge_path(X, y, [1.0]),
        "GramStats": lambda: shrinkage.GramStats.from_arrays(X, y),
        "stream": lambda: shrinkage.GramStats.from_chunks(
            shrinkage.streams.array_blocks(X, y, block_rows=20_000)),
        "LassoCV threads": lambda: _lasso_cv(),
    }
    assert _interrupt_latency(calls[what]) < 1.0


def _lasso_cv():
    pytest.importorskip("sklearn")
    X, y = make_correlated_regression(300, 3000, rho=0.9, random_state=0)
    shrinkage.LassoCV(cv=4, n_jobs=2, tol=0.0, max_iter=2000, alphas=300, eps=1e-6).fit(X, y)


def test_demo_names_the_file_it_wrote(tmp_path, capsys):
    target = tmp_path / "out.txt"
    assert main(["--problem", "T1", "--alphas", "5", "--output", str(target)]) == 0
    assert f"wrote {target}.npz" in capsys.readouterr().out
    assert (tmp_path / "out.txt.npz").exists()


def test_demo_explains_bad_input(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n1,2,3\n4,oops,6\n")
    with pytest.raises(SystemExit, match="not a numeric table"):
        main(["--data", str(path), "--target", "y"])
    with pytest.raises(SystemExit, match="ridge_path"):
        main(["--problem", "T1", "--model", "enet", "--l1-ratio", "0"])
