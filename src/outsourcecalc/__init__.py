"""outsourcecalc: make-or-buy cost calculator, in house against vendor quotes."""

from .api import case_from_dicts, evaluate, load
from .engine.model import evaluate_batch
from .engine.results import Comparison
from .errors import InputError, Problem
from .inputs.case import Case

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
