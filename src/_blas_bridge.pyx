# cython: language_level=3
"""Hands scipy's BLAS (and LAPACK's dpotri) to the C++ kernels as a table of function pointers.

scipy documents ``scipy.linalg.cython_blas`` / ``cython_lapack`` as its C-level interface; taking
the pointers here means the wheel links no BLAS, shares scipy's (and scikit-learn's) thread pool,
follows threadpoolctl, and uses MKL when the user's scipy does.
"""
from cpython.pycapsule cimport PyCapsule_New
from scipy.linalg.cython_blas cimport dgemm, dgemv, dsyrk, dtrsm, dtrsv, sgemv, ssyrk, strsm
from scipy.linalg.cython_lapack cimport dpotri


cdef extern from "shrinkage/blas.hpp" namespace "shrinkage":
    ctypedef void syrk_d
    ctypedef void syrk_s
    ctypedef void gemm_d
    ctypedef void gemv_d
    ctypedef void gemv_s
    ctypedef void trsm_d
    ctypedef void trsm_s
    ctypedef void trsv_d
    ctypedef void potri_d
    cdef struct BlasTable:
        syrk_d* dsyrk
        syrk_s* ssyrk
        gemm_d* dgemm
        gemv_d* dgemv
        gemv_s* sgemv
        trsm_d* dtrsm
        trsm_s* strsm
        trsv_d* dtrsv
        potri_d* dpotri

cdef BlasTable table
table.dsyrk = <syrk_d*>dsyrk
table.ssyrk = <syrk_s*>ssyrk
table.dgemm = <gemm_d*>dgemm
table.dgemv = <gemv_d*>dgemv
table.sgemv = <gemv_s*>sgemv
table.dtrsm = <trsm_d*>dtrsm
table.strsm = <trsm_s*>strsm
table.dtrsv = <trsv_d*>dtrsv
table.dpotri = <potri_d*>dpotri


def blas_table_capsule():
    """A capsule named ``shrinkage.BlasTable`` pointing at the (static) table."""
    return PyCapsule_New(&table, b"shrinkage.BlasTable", NULL)
