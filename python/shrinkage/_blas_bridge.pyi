"""Type stub of the Cython bridge that hands scipy's BLAS to the kernels."""

from typing import Any

def blas_table_capsule() -> Any: ...
