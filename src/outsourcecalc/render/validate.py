"""Validate output: one line per file that passed ("PATH: ok (what it holds)")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..inputs.checks import Validation
from .format import dumps

if TYPE_CHECKING:
    from rich.console import Console


def lines(result: Validation) -> list[str]:
    return [f"{f.path}: ok ({f.summary})" for f in result.files]


def to_dict(result: Validation) -> dict[str, Any]:
    return result.to_dict()


def render(result: Validation, fmt: str) -> str:
    """json: the result's dict; any other format: the lines as the terminal shows them."""
    if fmt == "json":
        return dumps(result.to_dict())
    return "".join(f"{line}\n" for line in lines(result))


def draw(result: Validation, console: Console) -> None:
    # plain lines, never wrapped: file names and paths stay whole for editors to jump to
    for line in lines(result):
        console.out(line, highlight=False)
