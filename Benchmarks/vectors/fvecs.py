"""TEXMEX fvecs / ivecs files (the ann-benchmarks convention): each vector is a little-endian
int32 dimension followed by that many float32 (fvecs) or int32 (ivecs) values."""

import os

import numpy as np


def write(path, array, dtype):
    """Writes the rows of a 2-D array as one fvecs (dtype float32) or ivecs (int32) file."""
    array = np.ascontiguousarray(array, dtype=dtype)
    n, dim = array.shape
    rows = np.empty((n, dim + 1), dtype=np.int32)
    rows[:, 0] = dim
    rows[:, 1:] = array.view(np.int32)
    tmp = path + ".tmp"
    rows.tofile(tmp)
    os.replace(tmp, path)


def append(handle, array, dtype):
    """Appends rows to an open binary file (for sets written in chunks)."""
    array = np.ascontiguousarray(array, dtype=dtype)
    n, dim = array.shape
    rows = np.empty((n, dim + 1), dtype=np.int32)
    rows[:, 0] = dim
    rows[:, 1:] = array.view(np.int32)
    rows.tofile(handle)


def read(path, dtype, limit=None, mmap=False):
    """The rows of an fvecs/ivecs file as an (n, dim) array of dtype; raises ValueError for a
    truncated file or rows of different dimensions."""
    size = os.path.getsize(path)
    if size == 0:
        return np.zeros((0, 0), dtype=dtype)
    dim = int(np.fromfile(path, dtype=np.int32, count=1)[0])
    if dim <= 0:
        raise ValueError(f"{path}: first row has dimension {dim}")
    row_bytes = 4 * (dim + 1)
    if size % row_bytes:
        raise ValueError(f"{path}: {size} bytes is not a whole number of {dim}-dimensional rows")
    n = size // row_bytes
    if mmap:
        raw = np.memmap(path, dtype=np.int32, mode="r", shape=(n, dim + 1))
    else:
        raw = np.fromfile(path, dtype=np.int32).reshape(n, dim + 1)
    if limit is not None:
        raw = raw[:limit]
    if not (raw[:, 0] == dim).all():
        raise ValueError(f"{path}: rows of more than one dimension")
    return raw[:, 1:].view(dtype)
