"""The inputs a run changed on the command line, described as the views name them.

`case.overrides` holds each `--set` (and `--horizon`, `--discount-rate`,
`--start-month`) as path and validated value: what the JSON records. The views say
the same in words: "annual salary of Agent = $45,000; horizon = 48 months (file:
36 months)". `describe(case)` gives each change with its label, taken from the
models (`label_of`), its unit, and the file's own value where the file had one;
render/words.py `scenario_line` turns them into that line.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .case import Case
from .loader import Loc
from .models import FILE_MODELS, FileKind, Unit, label_of, leaf_annotation
from .paths import InputPath, parse_path


@dataclass(frozen=True)
class Override:
    """One changed input: `label` "annual salary of Agent", `value` as validated, `unit`
    from the models ("money", "rate", "months", ...), `currency` of a money value ("" when
    unknown), and `file_value`, the file's own value validated the same way (None when the
    file left the input out, or the files disagree: `vendor.` paths reach every vendor)."""

    path: str
    label: str
    value: Any
    unit: Unit
    currency: str = ""
    file_value: Any = None


def recorded(overrides: Sequence[Override]) -> dict[str, Any]:
    """The JSON's `overrides` (SPEC section 5): path as written -> value as validated."""
    return {o.path: o.value for o in overrides}


def describe(case: Case) -> tuple[Override, ...]:
    """Every override of `case`, in the order given, described for the views."""
    return tuple(_describe(case, path, value) for path, value in case.overrides)


def _describe(case: Case, text: str, value: Any) -> Override:
    path = parse_path(text)
    files = path.files(len(case.vendors))
    try:
        label = label_of(path.target, path.loc)
    except KeyError:  # a field the models leave unlabelled: called by its path
        return Override(text, text, value, "number")
    words = label.text
    # a month of seasonality, Jan..Dec (English: the program never sets a locale)
    if isinstance(path.loc[-1], int):
        words += f" for {calendar.month_abbr[path.loc[-1] + 1]}"
    owners = _owners(case, path)
    if owners:
        words += " of " + ", ".join(owners)
    return Override(
        text,
        words,
        value,
        label.unit,
        _currency(case, path, label.currency, files),
        _file_value(case, path, files),
    )


def _owners(case: Case, path: InputPath) -> list[str]:
    """Whose input it is: the vendor ("every vendor" for a `vendor.` path with several),
    then each named entry on the way (the role, the charge, the item) and a mapping's key
    (a criterion of the scores). Entries of every vendor are not named: they differ."""
    every = path.target == "vendor" and path.vendor_index is None and len(case.vendors) > 1
    if every:
        return ["every vendor"]
    names = []
    model: Any = case.in_house
    if path.target == "vendor":
        model = case.vendors[path.vendor_index or 0]
        names.append(model.name)
    for part in path.loc[:-1]:
        model = model[part] if isinstance(part, int) else getattr(model, part, None)
        if model is None:
            break
        name = getattr(model, "role", None) or getattr(model, "name", None)
        if isinstance(part, int) and isinstance(name, str):
            names.append(name)
    if isinstance(model, dict) and isinstance(path.loc[-1], str):
        names.append(path.loc[-1])
    return names


def _currency(case: Case, path: InputPath, whose: str, files: list[int]) -> str:
    """The currency of a money input: the analysis's, or the quote's (a vendor's own)."""
    if whose == "analysis":
        return case.currency
    if whose == "quote" and path.target == "vendor":
        quoted = {case.vendors[i - 1].currency or case.currency for i in files}
        return quoted.pop() if len(quoted) == 1 else ""
    return ""


def _file_value(case: Case, path: InputPath, files: list[int]) -> Any:
    """What the file held at the path, validated as the model reads it ("8%" -> 0.08)."""
    from pydantic import TypeAdapter, ValidationError

    docs = [case.in_house_doc, *case.vendor_docs]
    loc: Loc = tuple(path.loc)
    written = set()
    for index in files:
        doc = docs[index] if index < len(docs) else None
        if doc is None or loc not in doc.originals:
            return None
        written.add(repr(doc.originals[loc]))
    if len(written) != 1:
        return None
    doc = docs[files[0]]
    assert doc is not None
    kind: FileKind = path.target
    try:
        reader: TypeAdapter[Any] = TypeAdapter(leaf_annotation(FILE_MODELS[kind], loc))
        return reader.validate_python(doc.originals[loc])
    except (KeyError, ValidationError):  # a file value the --set replaced was not valid
        return None
