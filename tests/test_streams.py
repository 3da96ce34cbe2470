"""shrinkage.streams: row blocks of .npy files, memmaps, CSV and Parquet give the statistics of
the whole data (to the merge's rounding), with one block in memory at a time."""

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import shrinkage
from shrinkage import GramStats, streams


def relative_error(stats, ref):
    # Co-moments on their Cauchy-Schwarz scale, means on the spread's (as test_gramstats).
    scale = np.sqrt(np.outer(np.diag(ref.gram), np.diag(ref.gram)))
    return max(np.abs(stats.gram - ref.gram).max() / scale.max(),
               np.abs(stats.xy - ref.xy).max() / np.sqrt(ref.yy * np.diag(ref.gram)).max(),
               abs(stats.yy - ref.yy) / ref.yy,
               np.abs(stats.x_mean - ref.x_mean).max()
               / np.sqrt(np.diag(ref.gram) / ref.weight_sum).max())


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(5)
    data = rng.standard_normal((2503, 7)) * [1, 2, 3, 4, 5, 6, 1] + 1e3
    data[:, 3] = data[:, [0, 1, 2]] @ [1.0, -2.0, 0.5] + rng.standard_normal(2503)
    weights = rng.uniform(0.2, 3.0, 2503)
    return data, weights


def reference(data, weights=None, target=3):
    features = np.delete(np.arange(data.shape[1]), target)
    return GramStats.from_arrays(data[:, features], data[:, target], weights)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_npy_blocks_with_a_target_column(tmp_path, table, order, dtype):
    data, weights = table
    path = tmp_path / "data.npy"
    np.save(path, np.asarray(data, dtype=dtype, order=order))
    blocks = streams.npy_blocks(path, target=-4, sample_weight=weights, block_rows=400)
    assert len(blocks) == 7  # 2503 rows in blocks of 400, a ragged last one
    kept = list(blocks)  # finished blocks' pages are released, but kept blocks stay valid
    assert [X.shape for X, _, _ in kept] == [(400, 6)] * 6 + [(103, 6)]
    features = np.delete(np.arange(7), 3)
    np.testing.assert_array_equal(np.vstack([X for X, _, _ in kept]),
                                  data[:, features].astype(dtype))
    stats = GramStats.from_chunks(blocks)
    assert relative_error(stats, reference(data.astype(dtype), weights)) < 1e-10


def test_npy_blocks_with_y_files(tmp_path, table):
    data, weights = table
    np.save(tmp_path / "X.npy", data[:, :3])
    np.save(tmp_path / "y.npy", data[:, 3])
    np.save(tmp_path / "w.npy", weights)
    stats = GramStats.from_chunks(streams.npy_blocks(
        tmp_path / "X.npy", tmp_path / "y.npy", sample_weight=str(tmp_path / "w.npy"),
        block_rows=1000))
    ref = GramStats.from_arrays(data[:, :3], data[:, 3], weights)
    assert relative_error(stats, ref) < 1e-10


def test_npy_blocks_reject_bad_files(tmp_path, table):
    data, _ = table
    np.save(tmp_path / "vector.npy", data[:, 0])
    with pytest.raises(ValueError, match="2-D"):
        streams.npy_blocks(tmp_path / "vector.npy", target=0)
    np.save(tmp_path / "text.npy", np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="numeric"):
        streams.npy_blocks(tmp_path / "text.npy", target=0)
    np.save(tmp_path / "data.npy", data)
    with pytest.raises(ValueError, match="exactly one of y"):
        streams.npy_blocks(tmp_path / "data.npy")
    with pytest.raises(ValueError, match="out of range"):
        streams.npy_blocks(tmp_path / "data.npy", target=7)
    with pytest.raises(ValueError, match="rows"):
        streams.npy_blocks(tmp_path / "data.npy", data[:10, 0])
    # A file cut short (an interrupted copy) is an error, not a smaller data set.
    raw = (tmp_path / "data.npy").read_bytes()
    (tmp_path / "cut.npy").write_bytes(raw[: len(raw) - 5000])
    with pytest.raises(ValueError, match="file is truncated"):
        GramStats.from_chunks(streams.npy_blocks(tmp_path / "cut.npy", target=3, block_rows=500))


def test_npy_stream_holds_a_few_blocks_not_the_file(tmp_path):
    # 160 MB on disk in 1.6 MB blocks, streamed in a fresh process: its resident memory grows
    # by a few blocks and the p x p statistics, not by the file (nor by the page cache).
    path = tmp_path / "big.npy"
    rows = np.random.default_rng(0).standard_normal((20_000, 200))
    with open(path, "wb") as file:
        np.lib.format.write_array_header_2_0(
            file, {"descr": "<f8", "fortran_order": False, "shape": (200_000, 200)})
        for _ in range(10):
            rows.tofile(file)
    script = f"""
import resource, numpy as np
from shrinkage import GramStats, streams
blocks = streams.npy_blocks({str(path)!r}, target=0, block_rows=1000)
GramStats.from_arrays(np.ones((5, 3)) + np.eye(5, 3), np.arange(5.0))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
stats = GramStats.from_chunks(blocks)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024, stats.n_samples)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    growth, n_samples = float(out[0]), int(out[1])
    assert n_samples == 200_000
    assert growth < 40e6, f"resident memory grew by {growth / 1e6:.0f} MB for a 160 MB file"


def test_npy_blocks_without_direct_io(tmp_path, table, monkeypatch):
    data, weights = table
    np.save(tmp_path / "data.npy", data)
    monkeypatch.delattr(os, "O_DIRECT", raising=False)  # as on macOS: buffered reads
    stats = GramStats.from_chunks(streams.npy_blocks(tmp_path / "data.npy", target=3,
                                                     sample_weight=weights, block_rows=300))
    assert relative_error(stats, reference(data, weights)) < 1e-10


def test_array_blocks_of_a_memmap(tmp_path, table):
    data, weights = table
    mapped = np.lib.format.open_memmap(tmp_path / "m.npy", mode="w+", dtype=np.float64,
                                       shape=data.shape)
    mapped[:] = data
    stats = GramStats.from_chunks(streams.array_blocks(mapped, target=3, sample_weight=weights,
                                                       block_rows=333))
    assert relative_error(stats, reference(data, weights)) < 1e-10
    targets = np.column_stack([data[:, 3], -data[:, 3]])
    two = GramStats.from_chunks(streams.array_blocks(mapped[:, :3], targets, block_rows=999))
    assert two.xy.shape == (3, 2)
    np.testing.assert_allclose(two.xy[:, 1], -two.xy[:, 0], rtol=1e-12)


def write_csv(path, data, weights, header=True):
    names = ["a", "b", "c", "target", "d", "e", "f", "w"]
    with open(path, "w") as file:
        if header:
            file.write(",".join(names) + "\n")
        for row, weight in zip(data, weights, strict=True):
            file.write(",".join(repr(float(v)) for v in (*row, weight)) + "\n")


def test_csv_blocks_by_name_and_index(tmp_path, table):
    data, weights = table
    write_csv(tmp_path / "data.csv", data, weights)
    blocks = streams.csv_blocks(tmp_path / "data.csv", target="target", sample_weight="w",
                                block_rows=700)
    stats = GramStats.from_chunks(blocks)
    assert relative_error(stats, reference(data, weights)) < 1e-10
    subset = GramStats.from_chunks(streams.csv_blocks(
        tmp_path / "data.csv", target=3, columns=["a", "c"], block_rows=10_000))
    ref = GramStats.from_arrays(data[:, [0, 2]], data[:, 3])
    assert relative_error(subset, ref) < 1e-10
    write_csv(tmp_path / "bare.csv", data, weights, header=False)
    bare = GramStats.from_chunks(streams.csv_blocks(tmp_path / "bare.csv", target=3,
                                                    sample_weight=-1, header=False))
    assert relative_error(bare, reference(data, weights)) < 1e-10


def test_csv_blocks_name_the_bad_lines(tmp_path, table):
    data, weights = table
    write_csv(tmp_path / "data.csv", data[:50], weights[:50])
    lines = (tmp_path / "data.csv").read_text().splitlines()
    lines[31] = lines[31].replace(",", ",oops,", 1)
    (tmp_path / "bad.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"bad.csv, lines 32-41"):
        GramStats.from_chunks(streams.csv_blocks(tmp_path / "bad.csv", target="target",
                                                 block_rows=10))
    with pytest.raises(ValueError, match="no column 'y'"):
        streams.csv_blocks(tmp_path / "data.csv", target="y")
    lines[5] = "1,2,3"  # a short row
    (tmp_path / "short.csv").write_text("\n".join(lines[:10]) + "\n")
    with pytest.raises(ValueError, match=r"short\.csv"):
        GramStats.from_chunks(streams.csv_blocks(tmp_path / "short.csv", target="target"))


def test_a_column_has_one_role(tmp_path, table):
    """The target (or weight) named among the features, or a header naming the target twice,
    would fit the target with itself: refused, by name, for CSV and Parquet."""
    data, weights = table
    write_csv(tmp_path / "data.csv", data, weights)
    with pytest.raises(ValueError, match="target column 'target' is also a feature"):
        streams.csv_blocks(tmp_path / "data.csv", target="target", columns=["a", "target"])
    with pytest.raises(ValueError, match="sample_weight column 'w' is also a feature"):
        streams.csv_blocks(tmp_path / "data.csv", target=3, sample_weight="w", columns=[0, "w"])
    with pytest.raises(ValueError, match="both the target and the sample_weight"):
        streams.csv_blocks(tmp_path / "data.csv", target="w", sample_weight="w")
    lines = (tmp_path / "data.csv").read_text().splitlines()
    lines[0] = lines[0].replace("a", "target", 1)  # the header names the target twice
    (tmp_path / "twice.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="names 'target' 2 times"):
        streams.csv_blocks(tmp_path / "twice.csv", target="target")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"a": data[:, 0], "y": data[:, 3]}), tmp_path / "data.parquet")
    with pytest.raises(ValueError, match="target column 'y' is also a feature"):
        streams.parquet_blocks(tmp_path / "data.parquet", target="y", columns=["a", "y"])


def test_parquet_blocks(tmp_path, table):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    data, weights = table
    names = ["a", "b", "c", "target", "d", "e", "f"]
    columns = {name: data[:, j] for j, name in enumerate(names)}
    pq.write_table(pa.table({**columns, "w": weights}), tmp_path / "data.parquet",
                   row_group_size=600)
    blocks = streams.parquet_blocks(tmp_path / "data.parquet", target="target",
                                    sample_weight="w", block_rows=500)
    assert len(blocks) == 6
    stats = GramStats.from_chunks(blocks)
    assert relative_error(stats, reference(data, weights)) < 1e-10
    with pytest.raises(ValueError, match="no column 'nope'"):
        streams.parquet_blocks(tmp_path / "data.parquet", target="nope")
    holes = pa.table({"a": pa.array([1.0, None, 3.0]), "t": pa.array([1.0, 2.0, 3.0])})
    pq.write_table(holes, tmp_path / "holes.parquet")
    with pytest.raises(ValueError, match="NaN"):
        GramStats.from_chunks(streams.parquet_blocks(tmp_path / "holes.parquet", target="t"))


def test_progress_bar_knows_the_number_of_blocks(tmp_path, table, capsys):
    pytest.importorskip("tqdm")
    data, _ = table
    np.save(tmp_path / "data.npy", data)
    GramStats.from_chunks(streams.npy_blocks(tmp_path / "data.npy", target=3, block_rows=1000),
                          progress=True)
    assert "3/3" in capsys.readouterr().err


def test_read_ahead_passes_errors_and_stops_early(tmp_path, table):
    data, _ = table
    calls = []

    def failing():
        yield data[:10, :3], data[:10, 3]
        calls.append("second")
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        GramStats.from_chunks(streams.RowBlocks(failing, None))
    np.save(tmp_path / "data.npy", data)
    blocks = streams.npy_blocks(tmp_path / "data.npy", target=3, block_rows=10)
    for _ in blocks:
        break  # the reader thread ends instead of reading the other 250 blocks
    first = next(iter(blocks))
    assert first[0].shape == (10, 6)


def test_path_from_a_stream_equals_the_in_memory_path(tmp_path, table):
    data, _ = table
    np.save(tmp_path / "data.npy", data)
    stats = GramStats.from_chunks(streams.npy_blocks(tmp_path / "data.npy", target=3,
                                                     block_rows=256))
    ref = reference(data)
    grid = shrinkage.lasso_path(ref, None, alphas=30)[0]
    _, streamed, _ = shrinkage.lasso_path(stats, None, alphas=grid, tol=1e-12)
    _, in_memory, _ = shrinkage.lasso_path(ref, None, alphas=grid, tol=1e-12)
    np.testing.assert_allclose(streamed, in_memory, rtol=1e-9, atol=1e-9 * np.abs(in_memory).max())


def test_kept_npy_blocks_keep_their_target_column(tmp_path):
    # y is a column view of the read buffer: the buffer must not be reused while it is alive.
    rng = np.random.default_rng(4)
    data = rng.standard_normal((3000, 6))
    path = tmp_path / "data.npy"
    np.save(path, data)
    blocks = list(streams.npy_blocks(path, target=-1, block_rows=500))
    np.testing.assert_array_equal(np.concatenate([y for _, y in blocks]), data[:, -1])
    np.testing.assert_array_equal(np.concatenate([X for X, _ in blocks]), data[:, :-1])


def test_statistics_of_npy_blocks_with_a_target_column(tmp_path):
    rng = np.random.default_rng(5)
    data = rng.standard_normal((60_000, 21)) + 3.0
    path = tmp_path / "data.npy"
    np.save(path, data)
    stats = GramStats.from_chunks(streams.npy_blocks(path, target=-1, block_rows=5000))
    expected = GramStats.from_arrays(data[:, :-1], data[:, -1])
    np.testing.assert_allclose(stats.xy, expected.xy, rtol=1e-10, atol=1e-8)
    np.testing.assert_allclose(stats.yy, expected.yy, rtol=1e-10)
    np.testing.assert_allclose(stats.gram, expected.gram, rtol=1e-10, atol=1e-8)


def _streams_of(tmp_path, data):
    np.save(tmp_path / "d.npy", data)
    np.savetxt(tmp_path / "d.csv", data, delimiter=",", header="a,b,c,t", comments="")
    return {
        "array": lambda: streams.array_blocks(data, target=-1, block_rows=10),
        "npy": lambda: streams.npy_blocks(tmp_path / "d.npy", target=-1, block_rows=10),
        "csv": lambda: streams.csv_blocks(tmp_path / "d.csv", target="t", block_rows=10),
    }


def _finishes_within(seconds, function):
    """Runs function on a thread; whether it returned (or raised) within `seconds`."""
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_call(function)), daemon=True)
    worker.start()
    worker.join(seconds)
    return not worker.is_alive()


def _call(function):
    try:
        function()
    except Exception as error:  # the ways out are what the test is about
        return error
    return None


@pytest.mark.parametrize("kind", ["array", "npy", "csv"])
def test_every_way_out_of_a_stream_ends_its_reader(tmp_path, kind):
    rng = np.random.default_rng(7)
    # Two blocks: while the consumer pauses on the first, the reader hands over the second and
    # then waits to hand over the end of the stream.
    make = _streams_of(tmp_path, rng.standard_normal((20, 4)))[kind]
    threads_before = threading.active_count()

    def leave_after_a_pause():
        for _ in make():  # the reader has read every block by the time the consumer leaves
            time.sleep(0.2)
            break

    def raise_after_a_pause():
        for _ in make():
            time.sleep(0.2)
            raise KeyError("consumer failed")

    def abandon_generator():
        blocks = iter(make())
        next(blocks)
        time.sleep(0.2)
        del blocks  # collected: closed by the interpreter

    for way_out in (leave_after_a_pause, raise_after_a_pause, abandon_generator):
        assert _finishes_within(5, way_out), way_out.__name__
    deadline = time.monotonic() + 5
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == threads_before  # no reader left behind


def test_a_bad_block_in_a_stream_raises_promptly(tmp_path):
    data = np.random.default_rng(8).standard_normal((20, 4))
    data[5, 1] = np.nan  # the first of two blocks: the reader is left holding the second
    make = _streams_of(tmp_path, data)["npy"]
    errors = []
    assert _finishes_within(5, lambda: errors.append(_call(
        lambda: GramStats.from_chunks(make()))))
    assert isinstance(errors[0], ValueError)


def test_npy_blocks_without_preadv(tmp_path, monkeypatch):
    # Windows has no os.preadv: positioned reads through the descriptor instead.
    monkeypatch.setattr(streams, "_HAS_PREADV", False)
    data = np.random.default_rng(11).standard_normal((1000, 5))
    np.save(tmp_path / "d.npy", data)
    blocks = list(streams.npy_blocks(tmp_path / "d.npy", target=-1, block_rows=300))
    np.testing.assert_array_equal(np.concatenate([X for X, _ in blocks]), data[:, :-1])


def test_progress_without_tqdm_counts_blocks(tmp_path, capsys, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name.startswith("tqdm"):
            raise ImportError("no tqdm here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    data = np.random.default_rng(12).standard_normal((30, 4))
    GramStats.from_chunks(streams.array_blocks(data, target=-1, block_rows=10), progress=True)
    assert "block 3/3" in capsys.readouterr().err
