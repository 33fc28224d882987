"""What changed against an earlier `compare --format json` result: each key, old, new, delta.

`read` turns a JSON file into the dict of SPEC section 5, reporting everything
wrong with it at once (exit code 2 on the command line); `diff` is pure: it
pairs the in-house baseline and each vendor (by name) of two such dicts and
lists, for every result key of SPEC section 4, the old value, the new value and
`new - old`. Vendors only in one of the two come back as "added" or "removed";
the recommendation, currency, horizon and discount rate get a row when they
changed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.model import RESULT_KEYS
from ..engine.results import READABLE_SCHEMA_VERSIONS, Comparison, rounded
from ..errors import InputError, Problem
from ..inputs.loader import read_text_file
from ..rules import IN_HOUSE, MONEY_KEYS

IN_HOUSE_KEYS = ("tco", "npv")
SCORE = "score"  # v2: every option's score, null without a scorecard
# results that are always a number; the other keys of SPEC section 4 may be null
# settings of the run: a row when they differ, since they change what every number means
SETTINGS = ("currency", "horizon_months", "discount_rate")
MAX_BYTES = 50_000_000
MAX_DIGITS = 30  # no money figure of the contract has more digits

# Status of a row.
CHANGED, UNCHANGED, ADDED, REMOVED = "changed", "unchanged", "added", "removed"


@dataclass(frozen=True)
class Change:
    """One result of one option, before and after.

    `option` is "in-house", a vendor's name, or "" for a setting of the whole
    run (the recommendation, currency, horizon, discount rate). `delta` is
    `new - old` rounded the way the JSON rounds that key (money to the cent),
    or None when either side is not a number.
    """

    option: str
    key: str
    old: float | str | None
    new: float | str | None
    delta: float | None
    status: str

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "option": self.option,
            "key": self.key,
            "old": self.old,
            "new": self.new,
            "delta": self.delta,
            "status": self.status,
        }


@dataclass
class BaselineDiff:
    """What `outsourcecalc.diff` returns: a comparison and what changed against a baseline."""

    comparison: Comparison
    changes: list[Change]
    source: str  # the baseline as the report names it (its file name)

    @property
    def notes(self) -> list[str]:
        return self.comparison.notes

    def to_dict(self) -> dict[str, Any]:
        """SPEC section 5 unchanged, plus `baseline` (the file) and `changes` (one per row):
        the JSON of `compare --baseline FILE --format json`."""
        data = self.comparison.to_dict()
        data["baseline"] = self.source
        data["changes"] = [row.to_json_dict() for row in self.changes]
        return data


# --------------------------------------------------------------------------- reading


def read(path: str | Path) -> dict[str, Any]:
    """Load an earlier `compare --format json` output; InputError naming the file if unfit."""
    name = str(path)
    text = read_text_file(path, "baseline file", "a JSON file from `compare --format json`")
    return loads(text, name)


def loads(text: str, name: str = "<baseline>") -> dict[str, Any]:
    """The same as `read`, from text; `name` is what error messages call the source."""
    try:
        data = json.loads(
            text,
            parse_constant=_no_constant,
            parse_int=_short_int,
            object_pairs_hook=_no_duplicates,
        )
        # a lone surrogate ("\ud800") is valid JSON but no text: it could not be printed
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise InputError.single(
            name, f"not valid JSON: {exc.msg}", "", exc.lineno, exc.colno
        ) from None
    except _BadJSON as exc:
        raise InputError.single(name, f"not valid JSON: {exc}") from None
    except RecursionError:
        raise InputError.single(name, "not valid JSON: nesting is too deep") from None
    except UnicodeEncodeError:
        raise InputError.single(
            name, "not valid text: it holds a lone surrogate escape such as \\ud800"
        ) from None
    problems = list(_schema_problems(data, name))
    if problems:
        raise InputError(problems)
    return dict(data)


class _BadJSON(ValueError):
    pass


def _no_constant(text: str) -> Any:
    raise _BadJSON(f"{text} is not a number the contract allows")


def _short_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _BadJSON(f"a number of {len(text.lstrip('-')):,} digits is not a result")
    return int(text)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _BadJSON(f"duplicate key {key!r}")
        out[key] = value
    return out


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _schema_problems(data: Any, name: str) -> Iterator[Problem]:
    """Everything that keeps `data` from being a SPEC section 5 result, each with its field."""
    hint = "expected the output of `outsourcecalc compare --format json`"
    if not isinstance(data, dict):
        yield Problem(name, f"{hint}, got {_kind(data)} at the top level")
        return
    version = data.get("schema_version")
    if type(version) is not int or version not in READABLE_SCHEMA_VERSIONS:  # true is not 1
        got = "missing" if "schema_version" not in data else f"got {version!r}"
        versions = " or ".join(str(v) for v in READABLE_SCHEMA_VERSIONS)
        yield Problem(name, f"must be {versions} ({got}); {hint}", "schema_version")
        return
    if not isinstance(data.get("currency"), str):
        yield Problem(name, f"must be a currency code ({_got(data, 'currency')})", "currency")
    for key in ("horizon_months", "discount_rate"):
        if not _is_number(data.get(key)):
            yield Problem(name, f"must be a number ({_got(data, key)})", key)
    if not isinstance(data.get("recommendation"), str):
        yield Problem(name, f"must be text ({_got(data, 'recommendation')})", "recommendation")
    in_house = data.get("in_house")
    if isinstance(in_house, dict):
        yield from _option_problems(in_house, name, "in_house", IN_HOUSE_KEYS)
    else:
        yield Problem(name, f"must be an object ({_got(data, 'in_house')})", "in_house")
    vendors = data.get("vendors")
    if not isinstance(vendors, list):
        yield Problem(name, f"must be a list ({_got(data, 'vendors')})", "vendors")
        return
    for i, vendor in enumerate(vendors):
        if isinstance(vendor, dict):
            yield from _option_problems(vendor, name, f"vendors[{i}]", RESULT_KEYS)
        else:
            yield Problem(name, f"must be an object (got {_kind(vendor)})", f"vendors[{i}]")


def _option_problems(
    option: dict[str, Any], name: str, where: str, keys: tuple[str, ...]
) -> Iterator[Problem]:
    if not isinstance(option.get("name"), str):
        yield Problem(name, f"must be text ({_got(option, 'name')})", f"{where}.name")
    # a v2 result scores every option (null without a scorecard); a v1 result has no score
    score = option.get(SCORE)
    if SCORE in option and not (score is None or _is_number(score)):
        yield Problem(name, f"must be a number or null ({_got(option, SCORE)})", f"{where}.score")
    for key in keys:
        x = option.get(key)
        if _is_number(x) or (x is None and key in option and key not in MONEY_KEYS):
            continue
        kind = "a number" if key in MONEY_KEYS else "a number or null"
        yield Problem(name, f"must be {kind} ({_got(option, key)})", f"{where}.{key}")


def _got(data: dict[str, Any], key: str) -> str:
    return "missing" if key not in data else f"got {_kind(data[key])}"


def _kind(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int | float):
        return repr(x)
    if isinstance(x, str):
        return repr(x) if len(x) <= 40 else repr(x[:37] + "...")
    return "a list" if isinstance(x, list) else "an object"


# --------------------------------------------------------------------------- diff


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every result of every option in `old` against `new` (both SPEC section 5 dicts).

    Rows come in a fixed order: settings of the run that changed, the in-house
    baseline, the vendors of `new` in their order (each paired with the vendor
    of the same name in `old`; with two vendors of one name, in turn), then the
    vendors only `old` had.
    """
    rows: list[Change] = []
    for key in (*SETTINGS, "recommendation"):
        if old.get(key) != new.get(key):
            rows.append(_row("", key, old.get(key), new.get(key), CHANGED))
    # the score gets a row wherever either result has one (a v1 result has none)
    scored = any(
        option.get(SCORE) is not None
        for result in (old, new)
        for option in (result["in_house"], *result["vendors"])
    )
    extra = (SCORE,) if scored else ()
    rows += _pair(IN_HOUSE, (*IN_HOUSE_KEYS, *extra), old["in_house"], new["in_house"])
    keys = (*RESULT_KEYS, *extra)
    unmatched = list(old["vendors"])
    for vendor in new["vendors"]:
        match = next((v for v in unmatched if v["name"] == vendor["name"]), None)
        if match is None:
            rows += [_row(vendor["name"], k, None, vendor.get(k), ADDED) for k in keys]
        else:
            unmatched.remove(match)
            rows += _pair(vendor["name"], keys, match, vendor)
    for vendor in unmatched:
        rows += [_row(vendor["name"], k, vendor.get(k), None, REMOVED) for k in keys]
    return rows


def _pair(
    option: str, keys: tuple[str, ...], old: dict[str, Any], new: dict[str, Any]
) -> list[Change]:
    return [
        _row(option, k, a, b, UNCHANGED if a == b else CHANGED)
        for k in keys
        for a, b in [(old.get(k), new.get(k))]
    ]


def _row(option: str, key: str, old: Any, new: Any, status: str) -> Change:
    delta = None
    if _is_number(old) and _is_number(new):
        delta = rounded(key, float(new) - float(old))
    return Change(option, key, old, new, delta, status)
