"""show_config() and the SIMD dispatch: the kernels' clones are the best the CPU supports."""

import platform

import pytest

import shrinkage
from shrinkage import _core

# The x86-64 psABI levels by the flags Linux lists in /proc/cpuinfo (lzcnt is "abm", sse3 "pni").
_V2 = {"cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3"}
_V3 = _V2 | {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}
_V4 = _V3 | {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}


def cpu_flags():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


@pytest.mark.skipif(platform.machine() != "x86_64" or platform.system() != "Linux",
                    reason="runtime dispatch is built for x86-64 Linux")
def test_dispatched_level_is_the_cpus_best():
    flags = cpu_flags()
    best = "x86-64-v4" if _V4 <= flags else "x86-64-v3" if _V3 <= flags else "x86-64"
    assert _core.simd_level() == best


def test_show_config_prints_and_returns(capsys):
    assert shrinkage.show_config() is None
    printed = capsys.readouterr().out
    assert printed.startswith(f"shrinkage {shrinkage.__version__}")
    assert "SIMD level: " in printed and "BLAS" in printed
    config = shrinkage.show_config(mode="dicts")
    assert config["simd_level"] == _core.simd_level()
    assert config["blas"], "threadpoolctl (a test dependency) sees scipy's BLAS"
    assert all(pool["num_threads"] >= 1 for pool in config["blas"])
    with pytest.raises(ValueError, match="mode"):
        shrinkage.show_config(mode="json")
