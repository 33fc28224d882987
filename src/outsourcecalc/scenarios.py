"""Input paths (SPEC section 6): `--set` one value, or give a batch one value per scenario.

A path names one input: `in_house.staff[0].annual_salary`, `vendor.pricing[1].per_unit`
(every vendor), `vendor[1].scope` (the second vendor only), `analysis.discount_rate`.
`--set` writes into the loaded data before validation, so a changed value is checked
exactly as if it had been written in the file. A batch puts an (S, 1) array into a
validated model, which the engine evaluates for all S scenarios at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from .case import Case
from .errors import InputError, Problem, UsageError
from .loader import Document, Loc, format_loc, parse_scalar

_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")


@dataclass(frozen=True)
class InputPath:
    """A parsed path: which file(s) it addresses and where inside them."""

    text: str
    target: str  # "in_house" or "vendor"
    vendor_index: int | None  # None: every vendor
    loc: Loc

    def files(self, vendor_count: int) -> list[int]:
        """Indexes of the files it addresses: 0 is the in-house file, 1.. the vendors."""
        if self.target == "in_house":
            return [0]
        if self.vendor_index is None:
            return list(range(1, vendor_count + 1))
        return [self.vendor_index + 1]


def parse_path(text: str, option: str = "--set") -> InputPath:
    """Read `vendor[1].pricing[0].per_unit` into an InputPath, or fail naming the option."""
    parts: list[str | int] = []
    for segment in text.strip().split("."):
        match = _SEGMENT.match(segment)
        if not match:
            raise UsageError.option(
                f"{option} {text}",
                f"not a path: {segment!r} (write e.g. in_house.staff[0].annual_salary)",
            )
        parts.append(match.group(1))
        parts += [int(i) for i in re.findall(r"\[(\d+)\]", match.group(2))]
    head = parts[0]
    if head == "analysis":
        return InputPath(text, "in_house", None, tuple(parts))
    if head == "in_house":
        return InputPath(text, "in_house", None, tuple(parts[1:]))
    if head == "vendor":
        if len(parts) > 1 and isinstance(parts[1], int):
            return InputPath(text, "vendor", parts[1], tuple(parts[2:]))
        return InputPath(text, "vendor", None, tuple(parts[1:]))
    raise UsageError.option(
        f"{option} {text}",
        f"a path starts with in_house., vendor., vendor[N]. or analysis. (got {head!r})",
    )


def split_assignment(text: str, option: str) -> tuple[str, str]:
    if "=" not in text:
        raise UsageError.option(f"{option} {text}", "expected PATH=VALUE")
    path, value = text.split("=", 1)
    return path.strip(), value.strip()


def check_path(path: InputPath, docs: Sequence[Document], option: str) -> None:
    """The path must name a field (vendor[N] an existing vendor) and not be empty."""
    if not path.loc:
        raise UsageError.option(f"{option} {path.text}", "the path names a file, not a field")
    if path.vendor_index is not None and path.vendor_index >= len(docs) - 1:
        raise UsageError.option(
            f"{option} {path.text}",
            f"there are {len(docs) - 1} vendor file(s); vendor[{path.vendor_index}] does not exist",
        )


def write(doc: Document, loc: Loc, value: Any, source: str) -> Any:
    """Put `value` at `loc` in the document's data; return what was there (for undo)."""
    node = doc.data
    for depth, key in enumerate(loc[:-1]):
        nxt = loc[depth + 1]
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                size = len(node) if isinstance(node, list) else 0
                raise InputError(
                    [
                        Problem(
                            source,
                            f"{format_loc(loc[:depth])} has {size} entries; "
                            f"{format_loc(loc[: depth + 1])} does not exist",
                        )
                    ]
                )
            node = node[key]
        else:
            if not isinstance(node, dict):
                raise InputError([Problem(source, f"{format_loc(loc[:depth])} is not a mapping")])
            if node.get(key) is None:
                node[key] = [] if isinstance(nxt, int) else {}
            node = node[key]
    last = loc[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise InputError([Problem(source, f"{format_loc(loc)} does not exist")])
        old = node[last]
    else:
        if not isinstance(node, dict):
            raise InputError([Problem(source, f"{format_loc(loc[:-1])} is not a mapping")])
        old = node.get(last, _ABSENT)
    node[last] = value
    doc.overrides[tuple(loc)] = source
    return old


_ABSENT = object()


def apply_sets(docs: Sequence[Document], assignments: Iterable[str], option: str = "--set") -> None:
    """Apply `PATH=VALUE` assignments to loaded documents (in-house first, then vendors)."""
    problems: list[Problem] = []
    for text in assignments:
        try:
            raw_path, raw_value = split_assignment(text, option)
            path = parse_path(raw_path, option)
            check_path(path, docs, option)
            source = f"{option} {text}"
            value = parse_scalar(raw_value, source)
            for index in path.files(len(docs) - 1):
                write(docs[index], path.loc, value, source)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)


# ------------------------------------------------------------------ batches


def with_values(case: Case, values: dict[InputPath, Any], size: int) -> Case:
    """A batch of `size` scenarios: each path takes its (S,) array of already-validated values."""
    in_house = case.in_house
    vendors = list(case.vendors)
    for path, array in values.items():
        column = np.asarray(array).reshape(-1, 1)
        for index in path.files(len(vendors)):
            if index == 0:
                in_house = _replace(in_house, path.loc, column, path.text)
            else:
                vendors[index - 1] = _replace(vendors[index - 1], path.loc, column, path.text)
    return Case(in_house, tuple(vendors), case.in_house_doc, case.vendor_docs, size, case.notes)


def _replace(obj: Any, loc: Loc, value: Any, text: str) -> Any:
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(obj, BaseModel) and isinstance(head, str):
        current = getattr(obj, head)
        if current is None and rest:
            raise UsageError.option(text, f"{head} is not in the file, so it cannot vary")
        return obj.model_copy(update={head: _replace(current, rest, value, text)})
    if isinstance(obj, list) and isinstance(head, int):
        items = list(obj)
        items[head] = _replace(items[head], rest, value, text)
        return items
    raise UsageError.option(text, f"cannot vary {format_loc(loc)}")


def take(case: Case, index: int) -> Case:
    """Scenario `index` of a batch, as a one-scenario case."""
    in_house = _take(case.in_house, index)
    vendors = tuple(_take(v, index) for v in case.vendors)
    return Case(in_house, vendors, case.in_house_doc, case.vendor_docs, 1, case.notes)


def _take(obj: Any, index: int) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.reshape(-1)[index].item()
    if isinstance(obj, BaseModel):
        updates = {}
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            taken = _take(value, index)
            if taken is not value:
                updates[name] = taken
        return obj.model_copy(update=updates) if updates else obj
    if isinstance(obj, list):
        items = [_take(v, index) for v in obj]
        return items if any(a is not b for a, b in zip(items, obj, strict=True)) else obj
    return obj
