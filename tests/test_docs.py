"""The Examples sections of the public docstrings run and print what they claim."""

import doctest

import pytest

import shrinkage._path
import shrinkage._ridge
import shrinkage.linalg


@pytest.mark.parametrize("module", [shrinkage._path, shrinkage._ridge, shrinkage.linalg])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
