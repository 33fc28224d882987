"""The command line: `outsourcecalc ...` and `python -m outsourcecalc ...`."""

import os


def run() -> None:
    """Run the command line, with numpy's BLAS on one thread.

    numpy's OpenBLAS starts a thread per core when numpy is imported, and each spins
    for work for about 0.1 s. The engine never calls BLAS (its sums run row by row), so
    every cold run burned that CPU for nothing: 16 `compare` runs two at a time took
    2.0 s instead of 1.6 s on two cores, and a many-core runner running many at once
    loses far more. Set before numpy loads (the package imports nothing until used);
    a value the user set is kept. `--jobs` runs in processes, not BLAS threads.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from .cli import main

    main()


if __name__ == "__main__":
    run()
