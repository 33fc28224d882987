"""Turn loaded documents into models, and every problem into `file:line:col: field: message`.

Pydantic reports all field errors of a file at once; we place each one at its
YAML node (or at the `--set` option that supplied the value), then add the
checks that need both files (currency and fx_rate, per-unit pricing without a
workload, transition currencies, parallel run within the horizon).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any, Literal, overload

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem
from ..rules import IN_HOUSE
from .case import Case
from .loader import INVALID, Document, Loc, format_loc
from .models import FILE_MODELS, FileKind, InHouse, Vendor

_MESSAGES = {
    "missing": "required field is missing",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of fields",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "too_short": "needs at least {min_length} {noun}",
    "too_long": "takes at most {max_length} entries",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters (got {length:,})",
    "string_pattern_mismatch": "expected a 3-letter ISO 4217 code such as USD",
    "greater_than": "must be above {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be below {lt}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "expected {expected}",
}
# what one entry of a list is, for "needs at least one ..."
_NOUNS = {"staff": "role", "pricing": "charge", "tiers": "tier"}


@overload
def model_from(doc: Document, kind: Literal["in_house"]) -> InHouse: ...
@overload
def model_from(doc: Document, kind: Literal["vendor"]) -> Vendor: ...
def model_from(doc: Document, kind: FileKind) -> InHouse | Vendor:
    """Validate a document as a `kind` file, raising every problem (loader's and the
    models') at once."""
    problems = list(doc.problems)
    if problems and not isinstance(doc.data, dict):
        raise InputError(problems)
    model = FILE_MODELS[kind]
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = [err for err in exc.errors() if err["input"] is not INVALID]
        problems += [_problem(doc, err, model) for err in _without_typo_echoes(errors, model)]
        raise InputError(_dedupe(problems)) from None
    if problems:
        raise InputError(problems)
    return result


def _without_typo_echoes(errors: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "X is missing" when an unknown key next to it is a misspelling of X.

    `anual_salary: 40000` is one mistake; the did-you-mean line already says it all.
    """
    misspelt = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            close = _closest(model, loc)
            if close is not None:
                misspelt.add((*loc[:-1], close))
    return [
        err for err in errors if not (err["type"] == "missing" and tuple(err["loc"]) in misspelt)
    ]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def _problem(doc: Document, err: Any, model: type[BaseModel]) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if "at" in ctx:
        # a check on a whole item (a charge, the tiers) that is about one of its fields
        loc = (*loc, *ctx["at"])
    if kind == "extra_forbidden":
        message = "unknown field" + _suggest(model, loc)
        return doc.problem(loc, message)
    if kind == "literal_error" and loc[-1:] == ("kind",):
        message = f"expected kind {ctx.get('expected')} (got {_show(err['input'])})"
        if file_kind({"kind": err["input"]}) == model.model_fields["kind"].default:
            message += f"; write {model.model_fields['kind'].default}"
        return doc.problem(loc, message)
    template = _MESSAGES.get(kind)
    if template is not None:
        if kind == "too_short":
            count = ctx.get("min_length")
            noun = _NOUNS.get(str(loc[-1]), "entry") if loc else "entry"
            if count == 1:
                ctx = {**ctx, "min_length": "one", "noun": noun}
            else:
                ctx = {**ctx, "noun": "entries"}
        if kind == "string_too_long":
            ctx = {**ctx, "length": len(err["input"])}
        message = template.format(**ctx)
    else:
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
    if kind != "missing" and "(got " not in message and not isinstance(err["input"], dict | list):
        message += f" (got {_show(err['input'])})"
    if kind == "string_pattern_mismatch" and isinstance(err["input"], str):
        code = err["input"].strip().upper()
        if len(code) == 3 and code.isalpha():
            message += f"; write it in capitals: {code}"
    return doc.problem(loc, message)


def _show(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(model: type[BaseModel], loc: Loc) -> str:
    """What an unknown key most likely is: a misspelling of a field allowed at that place,
    a field that belongs elsewhere in the file, or the tail of a value cut at a comma."""
    close = _closest(model, loc)
    if close is not None:
        return f'; did you mean "{close}"?'
    key = str(loc[-1])
    places = [p for p in _places(model, key) if _shape(p) != _shape(loc)]
    if places:
        where = " or ".join(f"in {_shape(p)}" if p[:-1] else "at the top level" for p in places)
        return f"; {key} belongs {where} of the file, not here"
    if _VALUE_TAIL.search(key):
        return (
            "; this looks like the rest of a value that YAML cut at a comma "
            '({a: b, c} splits at every comma): put that value in quotes, e.g. name: "x, y"'
        )
    fields = _fields_at(model, loc[:-1])
    if fields:
        return f"; expected one of: {', '.join(fields)}"
    return ""


# a key no field could have: blanks, brackets, a leading digit (the tail of "2,8 weeks)")
_VALUE_TAIL = re.compile(r"[\s()]|^\d")


def _places(model: Any, key: str, prefix: Loc = ()) -> list[Loc]:
    """Every place in a `model` file where `key` is a field (lists as index 0)."""
    found: list[Loc] = []
    for name, info in model.model_fields.items():
        here = (*prefix, name)
        if name == key:
            found.append(here)
        inner = _inner_model(info.annotation)
        if inner is not None:
            is_list = "list[" in str(info.annotation)
            found += _places(inner, key, (*here, 0) if is_list else here)
    return found


def _shape(loc: Loc) -> str:
    """Where a field sits, without list indexes: "pricing[N]"."""
    parent = loc[:-1]
    return "".join("[N]" if isinstance(p, int) else f".{p}" for p in parent).lstrip(".")


def _closest(model: type[BaseModel], loc: Loc) -> str | None:
    fields = _fields_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
    return close[0] if close else None


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- both files


KINDS = ("in_house", "vendor")


def file_kind(data: Any) -> str | None:
    """ "in_house" or "vendor": by `kind` (a near miss such as in-house counts), else by content.

    None when the file does not say: it is then read as the kind its place asks for.
    """
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    if isinstance(kind, str):
        spelled = kind.strip().lower().replace("-", "_").replace(" ", "_")
        close = difflib.get_close_matches(spelled, KINDS, n=1, cutoff=0.6)
        if close:
            return close[0]
    if "pricing" in data and "staff" not in data:
        return "vendor"
    if "staff" in data and "pricing" not in data:
        return "in_house"
    return None


def check_kind(doc: Document, expected: str) -> None:
    """A vendor file given where the in-house file belongs (or the reverse) is an error."""
    data = doc.data
    if not isinstance(data, dict):
        return
    kind = data.get("kind")
    looks_vendor = file_kind(data) == "vendor"
    looks_in_house = file_kind(data) == "in_house"
    if expected == "in_house" and looks_vendor:
        raise InputError(
            [
                doc.problem(
                    ("kind",) if kind else (),
                    (
                        "this is a vendor file; the in-house file comes first: "
                        "outsourcecalc compare IN_HOUSE VENDOR [VENDOR ...]"
                    ),
                )
            ]
        )
    if expected == "vendor" and looks_in_house:
        raise InputError(
            [
                doc.problem(
                    ("kind",) if kind else (),
                    ("this is an in-house file; give it first and vendor files after it"),
                )
            ]
        )


HORIZON = ("analysis", "horizon_months")


def check_case(case: Case) -> None:
    """Checks that need the in-house file and a vendor file together."""
    ih = case.in_house
    horizon = case.horizon_months
    # the file's line is where the month is; the horizon may come from an option
    set_by = case.in_house_doc.overrides.get(HORIZON) if case.in_house_doc else None
    the_horizon = f"the horizon of {horizon} month{'' if horizon == 1 else 's'}" + (
        f" set by {set_by}" if set_by else ""
    )
    problems: list[Problem] = []
    first_named: dict[str, str] = {}
    for vendor, doc in zip(case.vendors, case.vendor_docs, strict=True):

        def fail(
            loc: Loc, message: str, doc: Document | None = doc, vendor: Vendor = vendor
        ) -> None:
            if doc is None:
                problems.append(Problem(f"vendor {vendor.name!r}", message, format_loc(loc)))
            else:
                problems.append(doc.problem(loc, message))

        # the recommendation and --baseline name options: each name must say which one
        key = vendor.name.strip().casefold()
        if key == IN_HOUSE:
            fail(
                ("name",),
                f"{vendor.name!r} is what the recommendation says when no vendor pays; "
                "give the vendor its own name",
            )
        elif key in first_named:
            fail(
                ("name",),
                f"another vendor file ({first_named[key]}) has this name too; "
                "give each vendor its own name",
            )
        else:
            first_named[key] = doc.path if doc is not None else repr(vendor.name)
        currency = vendor.currency or ih.currency
        if currency != ih.currency and vendor.fx_rate is None:
            fail(
                ("currency",),
                (
                    f"the quote is in {currency} but the analysis is in {ih.currency}: "
                    f"give fx_rate ({ih.currency} per 1 {currency})"
                ),
            )
        if currency == ih.currency and vendor.fx_rate is not None and float(vendor.fx_rate) != 1:
            fail(
                ("fx_rate",),
                (
                    f"fx_rate must be 1 or absent when the quote is in the analysis currency "
                    f"{ih.currency} (got {vendor.fx_rate:g})"
                ),
            )
        if ih.workload is None:
            for i, charge in enumerate(vendor.pricing):
                if charge.uses_volume:
                    fail(
                        ("pricing", i, charge.form),
                        ("per-unit pricing needs a workload (monthly_volume) in the in-house file"),
                    )
        parallel = vendor.transition.parallel_run_months
        if parallel > horizon:
            fail(
                ("transition", "parallel_run_months"),
                f"must be within {the_horizon} (got {parallel})",
            )
        allowed = (
            f"the analysis currency {ih.currency}"
            if currency == ih.currency
            else f"the analysis currency {ih.currency} or the quote's {currency}"
        )
        dated: list[tuple[Loc, str | None]] = [
            (("transition", "costs", i), item.currency)
            for i, item in enumerate(vendor.transition.costs)
        ]
        dated += [(("benefits", i), item.currency) for i, item in enumerate(vendor.benefits)]
        for loc, item_currency in dated:
            if item_currency is not None and item_currency not in (ih.currency, currency):
                fail(
                    (*loc, "currency"),
                    f"must be {allowed} (got {item_currency}); convert it to one of them",
                )
        for i, benefit in enumerate(vendor.benefits):
            for key, first in (("from_month", 1), ("month", 0)):
                when = getattr(benefit, key)
                if when is not None and when > horizon:
                    fail(
                        ("benefits", i, key),
                        f"must be within {the_horizon}, {first} to {horizon} (got {when})",
                    )
        if ih.scorecard is None and vendor.scores is not None:
            fail(
                ("scores",),
                "scores need a scorecard in the in-house file (scorecard: with its criteria); "
                "add one there or remove these scores",
            )
        if ih.scorecard is not None:
            if vendor.scores is None:
                fail(
                    ("scores",),
                    "required field is missing: the in-house file has a scorecard, so score "
                    f"each of its criteria ({', '.join(ih.scorecard.names)})",
                )
            else:
                problem = ih.scorecard.score_problem(vendor.scores)
                if problem is not None:
                    fail(("scores", *problem[0]), problem[1])
    if problems:
        raise InputError(problems)


def repeated_entries(in_house: InHouse | None, vendors: Sequence[Vendor]) -> list[str]:
    """Notes on an entry listed twice with the same figures, most likely a copied line:
    both are counted, as written, but the reader is told."""
    lists: list[tuple[str, str, Sequence[Any]]] = []
    if in_house is not None:
        lists += [
            ("in-house", "role", in_house.staff),
            ("in-house", "variable cost", in_house.variable_costs),
            ("in-house", "overhead", in_house.overheads),
            ("in-house", "one-time item", in_house.one_time),
        ]
    for vendor in vendors:
        lists += [
            (vendor.name, "charge", vendor.pricing),
            (vendor.name, "retained role", vendor.retained_staff),
            (vendor.name, "transition cost", vendor.transition.costs),
            (vendor.name, "benefit", vendor.benefits),
        ]
    notes = []
    for owner, noun, items in lists:
        seen: list[dict[str, Any]] = []
        for item in items:
            fields = item.model_dump()
            if fields in seen:
                name = fields.get("name", fields.get("role"))
                notes.append(
                    f"{owner}: {noun} {name!r} is listed twice with the same figures; both "
                    "are counted (remove one if it was copied by mistake)"
                )
            else:
                seen.append(fields)
    return list(dict.fromkeys(notes))


def outside_horizon(case: Case) -> list[str]:
    """Notes on dated items that fall after the horizon and so are not counted."""
    horizon = case.horizon_months
    notes = []
    for item in case.in_house.one_time:
        if item.month > horizon:
            notes.append(
                f"in-house one-time item {item.name!r} (month {item.month}) is after the "
                f"{horizon}-month horizon and is not counted"
            )
    for vendor in case.vendors:
        for cost in vendor.transition.costs:
            if cost.month > horizon:
                notes.append(
                    f"{vendor.name}: transition cost {cost.name!r} (month {cost.month}) is after "
                    f"the {horizon}-month horizon and is not counted"
                )
    return notes


def build_case(ih_doc: Document, vendor_docs: list[Document]) -> Case:
    """Validate both kinds of file and their combination; every problem of every file at once."""
    problems: list[Problem] = []
    in_house: InHouse | None = None
    vendors: list[Vendor] = []
    try:
        check_kind(ih_doc, "in_house")
        in_house = model_from(ih_doc, "in_house")
    except InputError as exc:
        problems += exc.problems
    for doc in vendor_docs:
        try:
            check_kind(doc, "vendor")
            vendors.append(model_from(doc, "vendor"))
        except InputError as exc:
            problems += exc.problems
    if problems or in_house is None:
        # `--set vendor.X=...` breaks every vendor file alike: say it once
        raise InputError(list(dict.fromkeys(problems)))
    case = Case(in_house, tuple(vendors), ih_doc, tuple(vendor_docs))
    check_case(case)
    # the engine prices the case once to see an inverted exchange rate (imported here:
    # the engine itself reads the inputs' models)
    from ..engine.results import exchange_rate_notes

    notes = (
        *repeated_entries(in_house, vendors),
        *outside_horizon(case),
        *exchange_rate_notes(case),
    )
    return Case(in_house, tuple(vendors), ih_doc, tuple(vendor_docs), notes=notes)
