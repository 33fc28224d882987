"""Read YAML into plain data, keeping the line and column of every value.

This is the only module that imports yaml. It is strict on purpose: duplicate
keys, NaN and infinities, YAML 1.1 surprises (yes/no booleans, dates, octal and
sexagesimal numbers) and anchors that expand into huge documents are errors,
each placed at its line, so that a typo can never silently change a cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

Loc = tuple[str | int, ...]

MAX_NODES = 100_000  # far above any real assumption file; stops alias bombs
MAX_BYTES = 5_000_000

_BOOL_WORDS = {"true": True, "false": False}
_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT_RE = re.compile(r"^[-+]?([0-9][0-9_]*)?(\.[0-9_]*)?([eE][-+]?[0-9]+)?$")


class Invalid:
    """Stands in for a value the loader already reported, so it is not reported twice."""

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = Invalid()


@dataclass
class Document:
    """A loaded file: its data and where each value sits in it."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # values changed on the command line: loc -> the option that set it ("--set X=1")
    overrides: dict[Loc, str] = field(default_factory=dict)

    def place(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column of `loc`, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while True:
            if loc in self.positions:
                return self.positions[loc]
            if not loc:
                return (None, None)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str) -> Problem:
        loc = tuple(loc)
        for k in range(len(loc), 0, -1):
            if loc[:k] in self.overrides:
                return Problem(self.overrides[loc[:k]], message, format_loc(loc))
        line, column = self.place(loc)
        return Problem(self.path, message, format_loc(loc), line, column)


def format_loc(loc: Loc) -> str:
    """('staff', 0, 'annual_salary') -> 'staff[0].annual_salary'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def load_file(path: str | Path) -> Document:
    """Load one YAML file. Raises InputError if it cannot be read as YAML at all."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError.single(name, "file not found") from None
    except IsADirectoryError:
        raise InputError.single(name, "is a directory, expected a YAML file") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InputError.single(name, f"file is larger than {MAX_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"not UTF-8 text (byte {exc.start})") from None
    return load_text(text, name)


def load_text(text: str, name: str) -> Document:
    """Parse YAML text into a Document (strict scalars, positions kept)."""
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"not valid YAML: {exc.problem or exc.context}"
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise InputError.single(name, msg, line=line, column=col) from None
    except yaml.YAMLError as exc:
        raise InputError.single(name, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise InputError.single(name, "nesting is too deep") from None
    docs = [n for n in nodes if n is not None]
    if not docs:
        raise InputError.single(name, "file is empty, expected a mapping of fields", line=1)
    if len(docs) > 1:
        mark = docs[1].start_mark
        raise InputError.single(
            name,
            "holds more than one YAML document; give one file per option",
            line=mark.line + 1,
            column=mark.column + 1,
        )
    builder = _Builder(name)
    try:
        data = builder.build(docs[0], ())
    except RecursionError:
        raise InputError.single(name, "nesting is too deep") from None
    doc = Document(name, data, builder.positions, builder.problems)
    if not isinstance(data, dict):
        doc.problems.append(doc.problem((), "expected a mapping of fields at the top level"))
    return doc


def parse_scalar(text: str, source: str) -> Any:
    """Read one command-line value (`--set PATH=VALUE`) with the same rules as a file."""
    doc = load_text(text if text.strip() else "''", source)
    if doc.problems:
        raise InputError(doc.problems)
    return doc.data


class _Builder:
    """Turns a composed node tree into plain Python values, recording positions."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def fail(self, node: yaml.Node, loc: Loc, message: str) -> Invalid:
        mark = node.start_mark
        self.problems.append(
            Problem(self.name, message, format_loc(loc), mark.line + 1, mark.column + 1)
        )
        return INVALID

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.fail(node, loc, f"document has more than {MAX_NODES:,} values")
            return INVALID
        self.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any] | Invalid:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, loc, "merge keys ('<<') are not supported; write fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, loc, "a key must be a plain name")
                continue
            key = key_node.value
            if key_node.tag != "tag:yaml.org,2002:str":
                # `1: x` or `yes: x`: a key is always a field name
                key = str(key)
            if key in out:
                first = self.positions.get((*loc, key), (None, None))[0]
                self.fail(key_node, (*loc, key), f"duplicate key (first given on line {first})")
                continue
            out[key] = self.build(value_node, (*loc, key))
            # a field's place is its key, where an editor should jump to
            self.positions[(*loc, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        tag, text = node.tag, node.value
        if node.style in ("'", '"', "|", ">") or tag == "tag:yaml.org,2002:str":
            return text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            if text.lower() in _BOOL_WORDS:
                return _BOOL_WORDS[text.lower()]
            return self.fail(node, loc, f"write true or false (got {text!r}, a YAML 1.1 boolean)")
        if tag == "tag:yaml.org,2002:int":
            if ":" in text:
                return self.fail(node, loc, f"sexagesimal numbers are not allowed (got {text!r})")
            if not _INT_RE.match(text):
                return self.fail(
                    node,
                    loc,
                    f"write a plain decimal number (got {text!r}: octal or hex in YAML 1.1)",
                )
            return int(text.replace("_", ""))
        if tag == "tag:yaml.org,2002:float":
            low = text.lower()
            if "nan" in low or "inf" in low:
                return self.fail(node, loc, f"must be a finite number (got {text!r})")
            if ":" in text or not _FLOAT_RE.match(text):
                return self.fail(node, loc, f"write a plain decimal number (got {text!r})")
            return float(text.replace("_", ""))
        if tag == "tag:yaml.org,2002:timestamp":
            return self.fail(
                node, loc, f"dates are not a value here (got {text!r}); quote it if it is text"
            )
        if tag.startswith("tag:yaml.org,2002:"):
            return text
        return self.fail(node, loc, f"unsupported YAML tag {tag!r}")
