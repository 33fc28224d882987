"""outsourcecalc: make-or-buy cost calculator, in house against vendor quotes."""

from .api import case_from_dicts, evaluate, load
from .case import Case
from .engine import evaluate_batch
from .errors import InputError, Problem
from .results import Comparison

__all__ = [
    "Case",
    "Comparison",
    "InputError",
    "Problem",
    "case_from_dicts",
    "evaluate",
    "evaluate_batch",
    "load",
]
__version__ = "0.1.0"
