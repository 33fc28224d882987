"""Input paths (SPEC section 6): `--set` one value, or give a batch one value per scenario.

A path names one input: `in_house.staff[0].annual_salary`, `vendor.pricing[1].per_unit`
(every vendor), `vendor[1].scope` (the second vendor only), `analysis.discount_rate`.
`--set` writes into the loaded data before validation, so a changed value is checked
exactly as if it had been written in the file. A batch puts an (S, 1) array into a
validated model, which the engine evaluates for all S scenarios at once.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError, Problem, UsageError
from .case import Case
from .loader import Document, Loc, format_loc, parse_scalar
from .models import (
    FILE_MODELS,
    Bound,
    FileKind,
    Label,
    Strict,
    bound_of,
    label_of,
    leaf_annotation,
    unwrap,
)

# one step of a path: .name, [index] or ["a key that is not a plain name"]
# a path up to its `=`: any character but `=` and `"`, or a whole quoted key
_PATH_THEN_EQUALS = re.compile(r'((?:[^="]|"(?:[^"\\]|\\.)*")*)=')
_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


@dataclass(frozen=True)
class InputPath:
    """A parsed path: which file(s) it addresses and where inside them."""

    text: str
    target: FileKind
    vendor_index: int | None  # None: every vendor
    loc: Loc

    def files(self, vendor_count: int) -> list[int]:
        """Indexes of the files it addresses: 0 is the in-house file, 1.. the vendors."""
        if self.target == "in_house":
            return [0]
        if self.vendor_index is None:
            return list(range(1, vendor_count + 1))
        return [self.vendor_index + 1]

    def overlaps(self, other: InputPath) -> bool:
        """Do the two paths name the same input in some file (`vendor.x` covers
        `vendor[1].x`)?"""
        if self.target != other.target or self.loc != other.loc:
            return False
        return self.vendor_index is None or other.vendor_index in (None, self.vendor_index)

    def fixed_by(self, case: Case) -> list[str]:
        """The options that set this input in any of its files (`--set vendor.scope=0.8`,
        `--discount-rate 7%`): the case's documents remember each, once."""
        docs = [case.in_house_doc, *case.vendor_docs]
        shown: list[str] = []
        for index in self.files(len(docs) - 1):
            doc = docs[index] if index < len(docs) else None
            source = doc.overrides.get(self.loc) if doc is not None else None
            if source is not None and source not in shown:
                shown.append(source)
        return shown


def parse_path(text: str, option: str = "--set") -> InputPath:
    """Read `vendor[1].pricing[0].per_unit` into an InputPath, or fail naming the option."""
    parts = _steps(text.strip(), f"{option} {text}")
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


def _steps(text: str, source: str) -> list[str | int]:
    """`vendor.scores["Data security"]` -> ["vendor", "scores", "Data security"]."""
    parts: list[str | int] = []
    at = 0
    while at < len(text):
        match = _STEP.match(text, at)
        dotted = match is not None and match.group(1) is not None
        if match is None or (dotted and (text[at] == ".") != bool(parts)):
            rest = text[at:].lstrip(".").split(".")[0] or text[at:]
            raise UsageError.option(
                source,
                f"not a path: {rest!r} (write e.g. in_house.staff[0].annual_salary, or "
                'vendor.scores["Data security"] for a key that is not a plain name)',
            )
        if dotted:
            parts.append(match.group(1))
        elif match.group(2) is not None:
            parts.append(int(match.group(2)))
        else:
            parts.append(re.sub(r"\\(.)", r"\1", match.group(3)))
        at = match.end()
    if not parts or not isinstance(parts[0], str):
        raise UsageError.option(source, f"not a path: {text!r}")
    return parts


def split_assignment(text: str, option: str) -> tuple[str, str]:
    """`PATH=VALUE` at the first `=` outside a quoted key: `vendor.scores["a=b"]=4`."""
    if "=" not in text:
        raise UsageError.option(f"{option} {text}", "expected PATH=VALUE")
    if text.splitlines() != [text]:  # \n, \r, \x85, \u2028...: YAML folds it, unseen
        raise UsageError.option(f"{option} {text}", "is one line: it holds a line break; remove it")
    quoted = _PATH_THEN_EQUALS.match(text)
    path, value = (quoted.group(1), text[quoted.end() :]) if quoted else text.split("=", 1)
    return path.strip(), value.strip()


def every_vendor_hint(source: str) -> Problem:
    """What to write when a `vendor.` path, which changes every vendor file, fits only one."""
    return Problem(
        source,
        "a vendor. path changes every vendor file; write vendor[0]., vendor[1]., ... "
        "to change one of them",
    )


def check_path(path: InputPath, docs: Sequence[Document], option: str) -> None:
    """The path must name a field (vendor[N] an existing vendor) and not be empty."""
    if not path.loc:
        raise UsageError.option(f"{option} {path.text}", "the path names a file, not a field")
    if path.vendor_index is not None and path.vendor_index >= len(docs) - 1:
        raise UsageError.option(
            f"{option} {path.text}",
            f"{_count(len(docs) - 1, 'vendor file')}; vendor[{path.vendor_index}] does not exist",
        )


def write(doc: Document, loc: Loc, value: Any, source: str, target: FileKind | None = None) -> Any:
    """Put `value` at `loc` in the document's data; return what was there (for undo).

    A mapping or list the file leaves out is created on the way: a list from the
    field's default (`seasonality` is twelve 1s), so `seasonality[3]` can be set in a
    file that never wrote it. If the path cannot be written, the data is left as it was.
    """
    created: list[tuple[dict[str, Any], str]] = []
    try:
        return _write(doc, loc, value, source, target, created)
    except InputError:
        for container, key in reversed(created):
            del container[key]
        raise


def _write(
    doc: Document,
    loc: Loc,
    value: Any,
    source: str,
    target: FileKind | None,
    created: list[tuple[dict[str, Any], str]],
) -> Any:
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
                            f"{format_loc(loc[:depth])} has {_count(size, 'entry', 'entries')}; "
                            f"{format_loc(loc[: depth + 1])} does not exist",
                        )
                    ]
                )
            node = node[key]
        else:
            if not isinstance(node, dict):
                raise InputError([Problem(source, f"{format_loc(loc[:depth])} is not a mapping")])
            if node.get(key) is None:
                node[key] = _default_container(target, loc[: depth + 1], isinstance(nxt, int))
                created.append((node, key))
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


def _default_container(target: FileKind | None, loc: Loc, is_list: bool) -> Any:
    """What a missing mapping or list starts as: the field's default list, else empty."""
    if is_list and target is not None:
        model = FILE_MODELS[target]
        try:
            parent = unwrap(leaf_annotation(model, loc[:-1])) if loc[:-1] else model
            info = parent.model_fields[str(loc[-1])]
        except (KeyError, AttributeError):
            return []
        if info.default_factory is not None:
            default = info.get_default(call_default_factory=True)
            return list(default) if isinstance(default, list) else []
    return [] if is_list else {}


_ABSENT = object()


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """1 vendor file, 2 vendor files; 1 entry, 3 entries."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def apply_sets(
    docs: Sequence[Document],
    assignments: Iterable[str],
    option: str = "--set",
    label: str | None = None,
) -> None:
    """Apply `PATH=VALUE` assignments to loaded documents (in-house first, then vendors).

    Problems name the option as given (`--set PATH=VALUE`), or `label` when the
    assignment stands for another option (`--horizon 0`)."""
    problems: list[Problem] = []
    for text in assignments:
        try:
            raw_path, raw_value = split_assignment(text, option)
            path = parse_path(raw_path, option)
            check_path(path, docs, option)
            source = label or f"{option} {text}"
            value = parse_scalar(raw_value, source)
            for index in path.files(len(docs) - 1):
                doc, loc = docs[index], tuple(path.loc)
                first = loc not in doc.overrides
                old = write(doc, loc, value, source, path.target)
                if first and old is not _ABSENT:
                    doc.originals[loc] = old
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
        # a 0-d array is one value for every scenario (a horizon, say); else one per scenario
        column = array.item() if np.ndim(array) == 0 else np.asarray(array).reshape(-1, 1)
        for index in path.files(len(vendors)):
            if index == 0:
                in_house = _replace(in_house, path.loc, column, path.text)
            else:
                vendors[index - 1] = _replace(vendors[index - 1], path.loc, column, path.text)
    return Case(
        in_house,
        tuple(vendors),
        case.in_house_doc,
        case.vendor_docs,
        size,
        case.notes,
        case.overrides,
    )


def _replace(obj: Any, loc: Loc, value: Any, text: str) -> Any:
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(obj, Strict) and isinstance(head, str):
        current = getattr(obj, head)
        if current is None and rest:
            raise UsageError.option(text, f"{head} is not in the file, so it cannot vary")
        return obj.replace(**{head: _replace(current, rest, value, text)})
    if isinstance(obj, list) and isinstance(head, int):
        items = list(obj)
        items[head] = _replace(items[head], rest, value, text)
        return items
    if isinstance(obj, dict) and head in obj:
        entries = dict(obj)
        entries[head] = _replace(entries[head], rest, value, text)
        return entries
    raise UsageError.option(text, f"cannot vary {format_loc(loc)}")


# ------------------------------------------------ fields, bounds, validation


def path_bounds(path: InputPath, option: str) -> Bound:
    """Bounds of the numeric field a path names; a usage error if it names none."""
    try:
        annotation = leaf_annotation(FILE_MODELS[path.target], path.loc)
    except KeyError:
        raise UsageError.option(f"{option} {path.text}", "no such input field") from None
    bounds = bound_of(annotation)
    if bounds is None:
        raise UsageError.option(f"{option} {path.text}", "not a numeric input")
    return bounds


def resolve_values(case: Case, path: InputPath, raw: Sequence[Any], source: str) -> Any:
    """Validate each raw value at `path` as if written in the file; return them as numbers.

    Each distinct value is written into the loaded document, the file (and the
    checks across files) validated, and the number the model holds read back, so
    "5%" becomes 0.05 and a value out of bounds is reported like a file error.
    """
    from .validate import check_case, model_from

    docs = [d for d in (case.in_house_doc, *case.vendor_docs) if d is not None]
    if len(docs) != 1 + len(case.vendors):
        raise UsageError.option(source, "this case was not loaded from files")
    check_path(path, docs, source.split(" ")[0])
    path_bounds(path, source.split(" ")[0])
    out: dict[str, float] = {}
    failed: dict[tuple[str, str, str], list[Any]] = {}  # one line per problem, not per value
    for value in raw:
        key = repr(value)
        if key in out:
            continue
        try:
            out[key] = _validated(case, docs, path, value, source, model_from, check_case)
        except InputError as exc:
            for p in exc.problems:
                failed.setdefault((p.source, p.field, p.message), []).append(value)
    if failed:
        problems = []
        for (src, fld, message), values in failed.items():
            shown = ", ".join(repr(v) for v in values[:3])
            more = f" and {len(values) - 3:,} more" if len(values) > 3 else ""
            label = "value" if len(values) == 1 else "values"
            problems.append(Problem(src, f"{label} {shown}{more}: {message}", fld))
        if path.target == "vendor" and path.vendor_index is None and len(case.vendors) > 1:
            problems.append(every_vendor_hint(source))
        raise InputError(problems)
    return np.array([out[repr(v)] for v in raw])


def _validated(
    case: Case,
    docs: Any,
    path: InputPath,
    value: Any,
    source: str,
    model_from: Any,
    check_case: Any,
) -> float:
    in_house, vendors = case.in_house, list(case.vendors)
    undo = []
    try:
        for index in path.files(len(vendors)):
            doc = docs[index]
            before = dict(doc.overrides)
            old = write(doc, path.loc, value, source, path.target)
            undo.append((doc, old, before))
            if index == 0:
                in_house = model_from(doc, "in_house")
            else:
                vendors[index - 1] = model_from(doc, "vendor")
        check_case(Case(in_house, tuple(vendors), case.in_house_doc, case.vendor_docs))
        model = in_house if path.target == "in_house" else vendors[path.files(len(vendors))[0] - 1]
        return float(_read(model, path.loc))
    finally:
        for doc, old, before in reversed(undo):
            _restore(doc.data, path.loc, old)
            doc.overrides = before


def _read(obj: Any, loc: Loc) -> Any:
    for part in loc:
        obj = obj[part] if isinstance(part, int) or isinstance(obj, dict) else getattr(obj, part)
    return obj


def overrides_of(case: Case, assignments: Iterable[str]) -> tuple[tuple[str, Any], ...]:
    """Each `PATH=VALUE` of the run with the value as validated ("28%" -> 0.28), in the order
    given; a path set twice keeps its first place and its last value."""
    out: dict[str, Any] = {}
    for text in assignments:
        raw_path, _ = split_assignment(text, "--set")
        path = parse_path(raw_path)
        files = path.files(len(case.vendors))
        model = case.in_house if files[0] == 0 else case.vendors[files[0] - 1]
        try:
            value = _read(model, path.loc)
        except (AttributeError, IndexError, KeyError, TypeError):
            continue
        if isinstance(value, bool | int | float | str) or value is None:
            out[raw_path] = value
    return tuple(out.items())


def _restore(data: Any, loc: Loc, old: Any) -> None:
    node = data
    for part in loc[:-1]:
        node = node[part]
    if old is _ABSENT:
        del node[loc[-1]]
    else:
        node[loc[-1]] = old


def numeric_inputs(case: Case, vendor_index: int) -> list[tuple[InputPath, float]]:
    """Every numeric input (not whole-number fields such as months) of the in-house file
    and of one vendor, with today's value: what sensitivity moves."""
    out: list[tuple[InputPath, float]] = []
    files: tuple[tuple[FileKind, Strict], ...] = (
        ("in_house", case.in_house),
        ("vendor", case.vendors[vendor_index]),
    )
    for target, model in files:
        for loc, value in _numeric_leaves(model, ()):
            if target == "in_house" and loc[:1] == ("analysis",):
                text = format_loc(loc)
            else:
                text = f"{target}.{format_loc(loc)}"
            index = vendor_index if target == "vendor" else None
            out.append((InputPath(text, target, index, loc), value))
    return out


def _numeric_leaves(obj: Any, loc: Loc) -> Iterable[tuple[Loc, float]]:
    if isinstance(obj, Strict):
        for name, value in obj.fields().items():
            yield from _numeric_leaves(value, (*loc, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _numeric_leaves(item, (*loc, i))
    elif isinstance(obj, dict):
        for key, item in obj.items():
            yield from _numeric_leaves(item, (*loc, key))
    elif isinstance(obj, float):
        yield loc, obj


# ------------------------------------------------ what an input is called


@dataclass(frozen=True)
class NamedInput:
    """An input as a heading names it: "Agent: annual salary", in money of `currency`.

    `unit` is the models' unit of the field ("money", "rate", ...); `currency` is what
    a money input is in ("" when it is not money, or when the vendors a `vendor.` path
    changes quote in different currencies).
    """

    path: str
    label: str
    unit: str
    currency: str


def named_input(case: Case, text: str, vendor: int | None = None) -> NamedInput:
    """What the input at path `text` is, from the models' labels and the files' names:

    `in_house.staff[0].annual_salary` is "Agent: annual salary", `vendor.fx_rate`
    "Vendor: exchange rate", `vendor[1].scope` "<second vendor's name>: scope",
    `in_house.workload.monthly_volume` "Monthly volume". A path the models do not
    label keeps its text. `vendor`: read a `vendor.` path in that vendor's file only
    (a chart's panel for one vendor names that vendor's roles and charges).
    """
    try:
        path = parse_path(text)
        label = label_of(path.target, path.loc)
    except (UsageError, KeyError, TypeError):
        return NamedInput(text, text, "", "")
    files = path.files(len(case.vendors))
    if vendor is not None and path.target == "vendor" and path.vendor_index is None:
        files = [vendor + 1]
    models: list[Any] = [case.in_house if i == 0 else case.vendors[i - 1] for i in files]
    owners: list[str] = []
    if path.target == "vendor":
        owners.append("Vendor" if path.vendor_index is None else models[0].name)
    phrase = label.text
    items: list[Any] = list(models)
    for depth, step in enumerate(path.loc):
        parents, items = items, [_step(item, step) for item in items]
        if isinstance(step, int) and depth == len(path.loc) - 1:
            if step < 12:  # an entry of a labelled list: a month of seasonality
                phrase = f"{phrase} ({calendar.month_abbr[step + 1]})"
        elif isinstance(step, int):
            names = {_owner(item) for item in items}
            field = str(path.loc[depth - 1]) if depth else ""
            name = names.pop() if len(names) == 1 else None  # a tier has none
            owners.append(name or f"{field.removesuffix('s')} {step + 1}")
        elif all(isinstance(parent, dict) for parent in parents):
            owners.append(step)  # a mapping key: a criterion of a scorecard
    words = ": ".join([*owners, phrase])
    currency = _currency(case, models, label, parents)
    return NamedInput(text, words[:1].upper() + words[1:], label.unit, currency)


def _step(item: Any, step: str | int) -> Any:
    try:
        if isinstance(step, int) or isinstance(item, dict):
            return item[step]
        return getattr(item, step)
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


def _owner(item: Any) -> str | None:
    """What names an entry of a list: a role, a charge's name (None for a tier)."""
    for name in ("role", "name"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return None


def _currency(case: Case, models: list[Any], label: Label, items: list[Any]) -> str:
    """The currency of a money input: the analysis's, the vendor's quote, or the item's own."""
    if label.unit != "money":
        return ""
    if label.currency == "analysis":
        return case.currency
    found = set()
    for model, item in zip(models, items, strict=True):
        quote = getattr(model, "currency", None) or case.currency
        own = getattr(item, "currency", None) if label.currency == "own" else None
        found.add(own or quote)
    return found.pop() if len(found) == 1 else ""
