"""Error types that carry where a problem is: file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import escape_controls


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, placed as precisely as we can."""

    source: str  # a file path, or the option that carried the value ("--set")
    message: str
    field: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        place = self.source
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return escape_controls(f"{place}:{field} {self.message}")


class InputError(Exception):
    """Bad input or bad usage: every problem found, reported together (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # raised in a worker process, it comes back pickled: with its problems
        return type(self), (self.problems,)

    @classmethod
    def single(
        cls,
        source: str,
        message: str,
        field: str = "",
        line: int | None = None,
        column: int | None = None,
    ) -> InputError:
        return cls([Problem(source, message, field, line, column)])

    def lines(self, most: int = 50) -> list[str]:
        """The problems as lines for a person: the first `most`, then how many more."""
        shown = [str(p) for p in self.problems[:most]]
        rest = len(self.problems) - most
        if rest > 0:
            shown.append(f"... and {rest:,} more problem{'s' if rest > 1 else ''}")
        return shown


class UsageError(InputError):
    """A bad command-line option (also exit code 2)."""

    @classmethod
    def option(cls, option: str, message: str) -> UsageError:
        return cls([Problem(option, message)])
