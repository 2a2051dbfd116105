"""renewcast: will there be another season?"""

import os

# One BLAS thread unless told otherwise. The forecast fits many small models (two-parameter
# maximum-likelihood fits, small matrices): OpenBLAS's worker threads spin and wait on every tiny
# call, and on a busy 2-core machine a censored log-normal fit took 55 ms instead of 1.3 ms
# (bench figures in docs/benchmarks.md). Read when numpy/scipy load their BLAS, so set it first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
