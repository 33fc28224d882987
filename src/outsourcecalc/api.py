"""The pipeline in one place: files -> documents -> models -> case -> engine -> results.

    load_file (loader)  ->  --set applied (scenarios)  ->  validated (validate)
        ->  Case  ->  evaluate_batch (engine)  ->  Comparison (results)  ->  render

Everything the command line does goes through these functions, so a Python
caller gets the same answers in three lines:

    case = outsourcecalc.load("in_house.yaml", ["vendor.yaml"])
    result = outsourcecalc.evaluate(case)
    print(result.vendors[0]["npv_savings"])
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .engine.model import ALL_METRICS, evaluate_batch
from .engine.results import Comparison
from .errors import InputError, Problem
from .inputs.case import Case
from .inputs.loader import Document, load_file
from .inputs.paths import apply_sets, every_vendor_hint
from .inputs.validate import build_case


def analysis_sets(
    horizon_months: int | None, discount_rate: float | str | None, start_month: int | None
) -> list[tuple[str, str]]:
    """Command-line overrides of the file's `analysis:` block: (label, assignment) pairs."""
    out = []
    for option, key, val in (
        ("--horizon", "horizon_months", horizon_months),
        ("--discount-rate", "discount_rate", discount_rate),
        ("--start-month", "start_month", start_month),
    ):
        if val is not None:
            out.append((f"{option} {val}", f"analysis.{key}={val}"))
    return out


def load_documents(in_house: str | Path, vendors: Sequence[str | Path]) -> list[Document]:
    """Read every file, reporting the problems of all of them together."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in [in_house, *vendors]:
        try:
            docs.append(load_file(path))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return docs


def case_from_documents(
    docs: list[Document],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    for label, assignment in analysis_sets(horizon_months, discount_rate, start_month):
        apply_sets(docs, [assignment], label=label)
    apply_sets(docs, sets)
    try:
        return build_case(docs[0], docs[1:])
    except InputError as exc:
        # a vendor. path reaches every vendor file: if one of them now fails, say so
        every = [s for s in sets if s.strip().startswith("vendor.")]
        vendor_files = {d.path for d in docs[1:]} | {f"--set {s}" for s in every}
        if every and len(docs) > 2 and any(p.source in vendor_files for p in exc.problems):
            raise InputError([*exc.problems, every_vendor_hint(f"--set {every[0]}")]) from None
        raise


def load(
    in_house: str | Path,
    vendors: Sequence[str | Path],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    """Load and validate an in-house file and its vendor files (raises InputError)."""
    if not vendors:
        raise InputError([Problem("compare", "give at least one vendor file")])
    docs = load_documents(in_house, vendors)
    return case_from_documents(
        docs,
        sets,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        start_month=start_month,
    )


def case_from_dicts(
    in_house: dict[str, Any],
    vendors: Sequence[dict[str, Any]],
    sets: Sequence[str] = (),
    *,
    horizon_months: int | None = None,
    discount_rate: float | str | None = None,
    start_month: int | None = None,
) -> Case:
    """The same as `load`, from data already in memory (not changed by this call)."""
    docs = [Document("<in_house>", copy.deepcopy(in_house))]
    docs += [Document(f"<vendor[{i}]>", copy.deepcopy(v)) for i, v in enumerate(vendors)]
    return case_from_documents(
        docs,
        sets,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        start_month=start_month,
    )


def evaluate(case: Case) -> Comparison:
    """Every result of the contract for one comparison."""
    return Comparison.from_evaluation(evaluate_batch(case, ALL_METRICS))
