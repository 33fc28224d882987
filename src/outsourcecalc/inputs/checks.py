"""Files checked on their own, in-house or vendor (told by `kind` or by content): `validate`.

Every file is read and validated, and every problem of every file is kept, so that
one run reports them all; a file that passes gets a one-line account of what it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem

if TYPE_CHECKING:
    from .loader import Document
    from .models import InHouse, Vendor


@dataclass
class FileCheck:
    """One file that passed: which kind it is and, in words, what it holds."""

    path: str
    kind: str  # "in_house" or "vendor"
    summary: str  # "vendor file, 2 charge(s)"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "summary": self.summary}


@dataclass
class Validation:
    """What `outsourcecalc.validate_files` returns: the files that passed and every problem."""

    files: list[FileCheck]
    problems: list[Problem] = field(default_factory=list)
    # notes on the files together (an in-house file and its vendors): an inverted exchange
    # rate, an item after the horizon; the same notes `compare` gives
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [f.to_dict() for f in self.files],
            "problems": [str(p) for p in self.problems],
            "notes": list(self.notes),
        }


def validate_files(paths: Sequence[str | Path]) -> Validation:
    """Check each file on its own; problems are collected, not raised."""
    from .loader import load_file
    from .models import InHouse
    from .validate import file_kind, model_from

    # a quote in another currency than the in-house default needs its exchange rate
    default_currency = InHouse.model_fields["currency"].default
    files: list[FileCheck] = []
    problems: list[Problem] = []
    docs: dict[str, list[Document]] = {"in_house": [], "vendor": []}
    in_houses: list[InHouse] = []
    vendors: list[Vendor] = []
    for path in paths:
        try:
            doc = load_file(path)
            if file_kind(doc.data) == "vendor":
                vendor = model_from(doc, "vendor")
                vendors.append(vendor)
                kind, what = "vendor", f"vendor file, {len(vendor.pricing)} charge(s)"
                if vendor.currency not in (None, default_currency) and vendor.fx_rate is None:
                    what += (
                        f"; quoted in {vendor.currency} without fx_rate: fine only if the "
                        f"in-house file's currency is {vendor.currency}"
                    )
            else:
                ih = model_from(doc, "in_house")
                in_houses.append(ih)
                kind = "in_house"
                what = f"in-house file, {len(ih.staff)} role(s), {ih.total_headcount:g} FTE"
                following = sum(role.handle_minutes is not None for role in ih.staff)
                if following:
                    what += f" fixed, {following} role(s) sized by the workload"
        except InputError as exc:
            problems += exc.problems
            continue
        files.append(FileCheck(str(path), kind, what))
        docs[kind].append(doc)
    return Validation(files, problems, _notes(docs, in_houses, vendors) if not problems else [])


def _notes(
    docs: dict[str, list[Document]], in_houses: Sequence[InHouse], vendors: Sequence[Vendor]
) -> list[str]:
    """The notes on one in-house file with its vendor files, as `compare` would give them;
    for files that are not such a set, or that do not fit together (compare says why),
    the notes each file gives on its own: an entry listed twice."""
    from .validate import build_case, repeated_entries

    if len(docs["in_house"]) == 1 and docs["vendor"]:
        try:
            return list(build_case(docs["in_house"][0], docs["vendor"]).notes)
        except InputError:
            pass
    notes = [n for ih in in_houses for n in repeated_entries(ih, [])]
    return list(dict.fromkeys(notes + repeated_entries(None, vendors)))
