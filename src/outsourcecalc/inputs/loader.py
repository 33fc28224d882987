"""Read YAML into plain data, keeping the line and column of every value.

This is the only module that imports yaml. It is strict on purpose: duplicate
keys, NaN and infinities, YAML 1.1 surprises (yes/no booleans, dates, octal and
sexagesimal numbers) and anchors that expand into huge documents are errors,
each placed at its line, so that a typo can never silently change a cost.
"""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, Problem

Loc = tuple[str | int, ...]

MAX_NODES = 100_000  # far above any real assumption file; stops alias bombs
MAX_BYTES = 5_000_000
MAX_DEPTH = 100  # levels of nesting: far above any real file

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
    # the file's own value at each loc the command line changed, as written (a loc the
    # file leaves out is not here): what the views show beside the changed value
    originals: dict[Loc, Any] = field(default_factory=dict)

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
        # a check on a whole item (a charge, the tiers) that a command-line value inside it broke
        inside = [src for at, src in self.overrides.items() if at[: len(loc)] == loc]
        if inside:
            message += f" (after {', '.join(dict.fromkeys(inside))})"
        line, column = self.place(loc)
        return Problem(self.path, message, format_loc(loc), line, column)


PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def format_loc(loc: Loc) -> str:
    """('staff', 0, 'annual_salary') -> 'staff[0].annual_salary'; a key that is not a plain
    name in brackets and double quotes: ('scores', 'Data security') -> 'scores["Data security"]'
    (SPEC section 6)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = str(part) if len(str(part)) <= 60 else str(part)[:57] + "..."
        if out and not PLAIN_NAME.fullmatch(str(part)):
            out += "[" + quote_key(name) + "]"
        else:
            out += f".{name}" if out else name
    return out


def quote_key(key: str) -> str:
    """A mapping key in double quotes, as a path writes it: `"Data security"`."""
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


INPUT_FIELDS = "fields such as name: ..."  # what an in-house or vendor file holds


def load_file(path: str | Path, expected: str = INPUT_FIELDS) -> Document:
    """Load one YAML file whose top level is a mapping (`expected` says of what, in
    messages). Raises InputError if it cannot be read as YAML at all."""
    return load_text(read_text_file(path, "file", "a YAML file"), str(path), expected)


def read_text_file(path: str | Path, what: str, expected: str) -> str:
    """A file's UTF-8 text, or an InputError placed where it went wrong.

    `what` names the file in messages ("baseline file"), `expected` what it should be."""
    name = str(path)
    raw = read_bytes_file(path, what, expected)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, raw, exc.start) from None


def read_bytes_file(
    path: str | Path, what: str, expected: str, limit: int | None = None, why: str = ""
) -> bytes:
    """A regular file's bytes, at most `limit` of them (MAX_BYTES by default; `why` says
    where the limit comes from), or an InputError naming the file."""
    name = str(path)
    limit = MAX_BYTES if limit is None else limit
    try:
        raw = _read_at_most(Path(path), limit + 1, expected)
    except FileNotFoundError:
        raise InputError.single(name, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError.single(name, f"is a directory, expected {expected}") from None
    except _NotRegular as exc:
        raise InputError.single(name, str(exc)) from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read {what} ({exc.strerror})") from None
    if len(raw) > limit:
        raise InputError.single(name, f"file is larger than {limit:,} bytes{why}")
    return raw


class _NotRegular(OSError):
    """The path is a device, a pipe or a socket: no file to read."""


def _read_at_most(path: Path, limit: int, expected: str) -> bytes:
    """At most `limit` bytes of a regular file.

    The file is opened without blocking, so a FIFO with no writer cannot hang the run,
    and anything that is not a regular file (/dev/zero, a pipe) is refused before a
    byte is read: an endless device would otherwise fill the memory.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(
                f"is not a regular file (a device, pipe or socket), expected {expected}"
            )
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size < limit:
            chunk = os.read(fd, min(1 << 20, limit - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _not_utf8(name: str, raw: bytes, start: int) -> InputError:
    """Where the first byte that is not UTF-8 sits, and what to do about it."""
    # UTF-32's little-endian mark starts with UTF-16's: look for the longer one first
    for marks, encoding in (
        ((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "UTF-32"),
        ((b"\xff\xfe", b"\xfe\xff"), "UTF-16"),
    ):
        if raw.startswith(marks):
            return InputError.single(
                name, f"the file is saved as {encoding}; save it as UTF-8", line=1, column=1
            )
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw.count(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
    return InputError.single(
        name,
        f"not UTF-8 text (byte 0x{raw[start]:02x}); save the file as UTF-8",
        line=line,
        column=column,
    )


def load_text(text: str, name: str, expected: str = INPUT_FIELDS) -> Document:
    """Parse YAML text into a Document (strict scalars, positions kept)."""
    doc = _parse(text, name, expected)
    if not isinstance(doc.data, dict) and doc.data is not INVALID:
        got = "a list" if isinstance(doc.data, list) else f"a single value ({_short(doc.data)})"
        doc.problems.append(doc.problem((), f"got {got} at the top level; expected {expected}"))
    return doc


def parse_scalar(text: str, source: str) -> Any:
    """Read one command-line value (`--set PATH=VALUE`) with the same rules as a file.

    Problems name the option only: a line and column inside one value mean nothing.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 on the command line
        raise InputError.single(source, "is not UTF-8 text; write the value in UTF-8") from None
    try:
        doc = _parse(text if text.strip() else "''", source)
    except InputError as exc:
        raise InputError([_unplaced(p) for p in exc.problems]) from None
    if doc.problems:
        raise InputError([_unplaced(p) for p in doc.problems])
    return doc.data


def _unplaced(problem: Problem) -> Problem:
    return Problem(problem.source, problem.message)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it


def _compose(text: str) -> list[yaml.Node | None]:
    """Parse into nodes with libyaml (~15x faster); on any error, parse again with the
    pure-Python parser, whose error messages we turn into plain words."""
    if _FAST_LOADER is not None:
        try:
            return list(yaml.compose_all(text, Loader=_FAST_LOADER))
        except (yaml.YAMLError, RecursionError):
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def _parse(text: str, name: str, expected: str = INPUT_FIELDS) -> Document:
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(name, exc) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(name, text, exc) from None
    except yaml.YAMLError as exc:
        raise InputError.single(name, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _too_deep(name, text) from None
    docs = [n for n in nodes if n is not None]
    if not docs:
        raise InputError.single(name, f"the file is empty; expected {expected}", line=1, column=1)
    if len(docs) > 1:
        mark = docs[1].start_mark
        raise InputError.single(
            name,
            "holds more than one YAML document (a second one starts here); "
            "give one file per option",
            line=mark.line + 1,
            column=mark.column + 1,
        )
    builder = _Builder(name)
    try:
        data = builder.build(docs[0], ())
    except RecursionError:
        raise _too_deep(name, text) from None
    return Document(name, data, builder.positions, builder.problems)


_OPENING = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _too_deep(name: str, text: str) -> InputError:
    """Where the nesting first goes past MAX_DEPTH levels, found by the scanner alone
    (it does not recurse, unlike the parser that just ran out of stack)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):  # libyaml stops at 1000
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = token.start_mark
                    return InputError.single(
                        name,
                        f"nesting is too deep (more than {MAX_DEPTH} levels)",
                        line=mark.line + 1,
                        column=mark.column + 1,
                    )
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        pass
    return InputError.single(name, "nesting is too deep")


_OPENERS = {
    "while parsing a flow sequence": "'['",
    "while parsing a flow mapping": "'{'",
    "while scanning a quoted scalar": "quote",
    "while scanning a double-quoted scalar": "quote",
}
_BAD_START = re.compile(r"found character '(.+)' that cannot start any token")
_BLOCK_END = re.compile(r"expected <block end>, but found (.+)$")
_NO_VALUE = re.compile(r"expected the node content, but found (.+)$")
_INDENT_TOKENS = ("'<block mapping start>'", "'<block sequence start>'", "'?'", "'-'", "'<scalar>'")
_INDENTATION = "the indentation of this line does not match the lines above it"


def _syntax_error(name: str, exc: yaml.MarkedYAMLError) -> InputError:
    """A YAML syntax error in words a spreadsheet user can act on, at the place to look.

    PyYAML speaks of tokens (<block end>, simple keys); people think of lines,
    indentation, brackets and quotes.
    """
    problem = (exc.problem or "").replace("'<stream end>'", "the end of the file")
    problem = problem.replace("end of stream", "end of the file")
    context = exc.context or ""
    mark, cmark = exc.problem_mark, exc.context_mark
    opener = _OPENERS.get(context)
    if opener and cmark is not None and "end of the file" in problem:
        # the useful place is the bracket or quote that was opened, not the end of the file
        message = f"this {opener} is never closed ({problem})"
        mark = cmark
    elif "'\\t'" in problem:
        message = "a tab character; indent with spaces, not tabs"
    elif problem == "mapping values are not allowed here":
        message = (
            "unexpected ':'; check the indentation, or put quotes around a value that contains ': '"
        )
    elif (found := _BAD_START.search(problem)) is not None:
        message = f"a value cannot start with {found.group(1)!r}; put it in quotes"
    elif (found := _BLOCK_END.search(problem)) is not None:
        token = found.group(1)
        if token in _INDENT_TOKENS:
            message = _INDENTATION
            if cmark is not None:
                message += f" (the block starts on line {cmark.line + 1})"
        else:
            message = f"unexpected {token} here"
    elif problem.startswith("expected '<document start>'"):
        message = _INDENTATION
    elif problem == "could not find expected ':'" and cmark is not None:
        message = "expected 'key: value' on this line, but there is no ':'"
        mark = cmark
    elif problem == "sequence entries are not allowed here":
        message = "a '- ' list entry is not allowed here; check the indentation"
    elif context in ("while scanning an anchor", "while scanning an alias"):
        message = "'&' and '*' start YAML anchors and aliases; put the value in quotes"
        mark = cmark or mark
    elif context == "while parsing a tag":
        message = "'!' starts a YAML tag; put the value in quotes"
        mark = cmark or mark
    elif (found := _NO_VALUE.search(problem)) is not None:
        message = f"expected a value, but found {found.group(1)}"
    elif context.startswith("found duplicate anchor") and cmark is not None:
        message = f"{context.split(';')[0]} (first on line {cmark.line + 1})"
    else:
        message = problem or context
        if context and cmark is not None and (mark is None or cmark.line != mark.line):
            message += f" ({context} on line {cmark.line + 1})"
    mark = mark or cmark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return InputError.single(name, f"not valid YAML: {message}", line=line, column=column)


def _reader_error(name: str, text: str, exc: yaml.reader.ReaderError) -> InputError:
    position = exc.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return InputError.single(
        name,
        f"not valid YAML: a control character (U+{ord(char):04X}) YAML does not allow; delete it",
        line=line,
        column=column,
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
                self.fail(
                    node,
                    loc,
                    f"the file holds more than {MAX_NODES:,} values "
                    "(aliases that expand into a huge document?)",
                )
            return INVALID
        self.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            return self.fail(node, loc, f"unsupported YAML tag {_short_tag(node.tag)}")
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                return self.fail(node, loc, f"unsupported YAML tag {_short_tag(node.tag)}")
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self.fail(node, loc, f"unsupported YAML tag {_short_tag(node.tag)}")
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any] | Invalid:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, loc, "merge keys ('<<') are not supported; write fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.fail(key_node, loc, "a key must be a plain field name")
                continue
            # `1: x` or `yes: x`: a key is always a field name, as written
            key = str(key_node.value)
            if key in out:
                first = self.positions.get((*loc, key), (None, None))[0]
                self.fail(
                    key_node,
                    (*loc, key),
                    f"duplicate key: also given on line {first}; keep one of them",
                )
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
        if node.style in ("'", '"', "|", ">") or tag == _STR:
            return text
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            if text.lower() in _BOOL_WORDS:
                return _BOOL_WORDS[text.lower()]
            return self.fail(
                node,
                loc,
                f"write true or false, or put it in quotes if it is text "
                f"(got {text!r}, which YAML 1.1 reads as a boolean)",
            )
        if tag == "tag:yaml.org,2002:int":
            return self._int(node, loc, text)
        if tag == "tag:yaml.org,2002:float":
            low = text.lower()
            if "nan" in low or "inf" in low:
                return self.fail(node, loc, f"must be a finite number (got {text!r})")
            if ":" in text or not _FLOAT_RE.match(text):
                return self.fail(node, loc, f"write a plain decimal number (got {text!r})")
            number = float(text.replace("_", ""))
            if not math.isfinite(number):
                return self.fail(node, loc, f"is too large to be a number (got {_short(text)})")
            return number
        if tag == "tag:yaml.org,2002:timestamp":
            return self.fail(
                node, loc, f"a date is not a value here (got {text!r}); {_no_dates(loc)}"
            )
        return self.fail(node, loc, f"unsupported YAML tag {_short_tag(tag)}")

    def _int(self, node: yaml.ScalarNode, loc: Loc, text: str) -> Any:
        if ":" in text:
            return self.fail(
                node,
                loc,
                f"write a plain decimal number (got {text!r}, which YAML 1.1 reads as base 60)",
            )
        if not _INT_RE.match(text):
            digits = text.lstrip("+-").lower()
            if digits.startswith(("0x", "0b")):
                base = "hexadecimal" if digits.startswith("0x") else "binary"
                return self.fail(
                    node, loc, f"write a plain decimal number (got {text!r}, a {base} number)"
                )
            return self.fail(
                node,
                loc,
                f"write {text.lstrip('+0') or '0'} without the leading zero, or put it in quotes "
                f"if it is text (got {text!r}, which YAML 1.1 reads as an octal number)",
            )
        digits = text.replace("_", "")
        if len(digits.lstrip("+-")) > _MAX_DIGITS:
            return self.fail(node, loc, f"is too large to be a number (got {_short(text)})")
        return int(digits)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_TAGS = frozenset(
    {
        _STR,
        _MAP,
        _SEQ,
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)
_MAX_DIGITS = 300  # a float holds up to about 1.8e308: longer is not an amount


def _no_dates(loc: Loc) -> str:
    """What to write instead of a date, for the field it was written in."""
    field = loc[-1] if loc else ""
    if field == "start_month":
        return "give the calendar month of month 1 as a number, 1 = January .. 12 = December"
    if field in ("month", "parallel_run_months", "horizon_months"):
        return (
            "months are whole numbers counted from the signing date: "
            "0 = signing, 1 = the first month"
        )
    return "give a number, or put it in quotes if it is text"


def _short_tag(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' -> '!!python/object' (as it was written)."""
    short = tag.replace("tag:yaml.org,2002:", "!!", 1)
    return repr(short if len(short) <= 60 else short[:57] + "...")
