"""The loader against hostile and broken files: always exit 2 with a placed message, fast.

A file can be malicious (alias bombs, Python tags), machine-made (10,000 levels of
brackets, binary junk) or just mangled by hand. Whatever it is, the answer is a
message and exit code 2: never a traceback, a hang, or a silently changed value.
The hostile files are generated into tmp_path, not kept in the repository.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from outsourcecalc.cli import app
from outsourcecalc.errors import InputError
from outsourcecalc.inputs.loader import load_text, parse_scalar

ROOT = Path(__file__).resolve().parent.parent
GOOD_VENDOR = str(ROOT / "tests/data/invalid/good_vendor.yaml")
GOOD_IN_HOUSE = str(ROOT / "tests/data/invalid/good_in_house.yaml")
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
STAFF = "staff:\n  - role: Agent\n    headcount: 10\n    annual_salary: 40000\n"
TOO_SLOW_SECONDS = 5.0


def compare_in_house(path: Path) -> Result:
    return CliRunner(env=ENV).invoke(app, ["compare", str(path), GOOD_VENDOR])


def assert_rejected(result: Result, *fragments: str) -> list[str]:
    """Exit 2, no traceback, nothing on stdout, and each fragment in some stderr line."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines, "no message"
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert any(fragment in line for line in lines), (fragment, lines)
    return lines


def write(tmp_path: Path, content: str | bytes, name: str = "in_house.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# ----------------------------------------------------------------- hostile files


def test_billion_laughs_alias_bomb(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    start = time.perf_counter()
    result = compare_in_house(path)
    assert time.perf_counter() - start < TOO_SLOW_SECONDS
    assert_rejected(result, "more than 100,000 values")


def test_alias_that_contains_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "name: &a [*a]\n" + STAFF)
    assert_rejected(compare_in_house(path), "nesting is too deep")


@pytest.mark.parametrize(
    "nested",
    ["[" * 10_000 + "]" * 10_000, "- " * 2_000 + "1", "{a: " * 10_000 + "1" + "}" * 10_000],
    ids=["flow-lists", "block-lists", "flow-mappings"],
)
def test_ten_thousand_levels_of_nesting(tmp_path: Path, nested: str) -> None:
    path = write(tmp_path, f"name: x\nworkload:\n  seasonality:\n    {nested}\n" + STAFF)
    assert_rejected(compare_in_house(path), "nesting is too deep")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e400", "staff[0].annual_salary: is too large to be a number (got '1e400')"),
        ("1.0e+400", "staff[0].annual_salary: is too large to be a number (got '1.0e+400')"),
        ("9" * 400, "staff[0].annual_salary: is too large to be a number (got '99999999"),
        ("9" * 5_000, "staff[0].annual_salary: is too large to be a number (got '99999999"),
        ("-1e400", "staff[0].annual_salary: is too large to be a number (got '-1e400')"),
    ],
    ids=["1e400", "1.0e+400", "400-digits", "5000-digits", "-1e400"],
)
def test_numbers_too_large_for_a_float(tmp_path: Path, value: str, message: str) -> None:
    path = write(
        tmp_path,
        f"name: x\nstaff:\n  - role: Agent\n    headcount: 1\n    annual_salary: {value}\n",
    )
    assert_rejected(compare_in_house(path), message)


def test_very_long_strings_fail_fast(tmp_path: Path) -> None:
    """A million-character name is too long for a name; 200,000 digits and a letter are
    not money: both refused fast, each in a short line."""
    name = "x" * 1_000_000
    salary = "9" * 200_000 + "x"
    path = write(
        tmp_path,
        f"name: {name}\nstaff:\n  - role: Agent\n    headcount: 1\n    annual_salary: {salary}\n",
    )
    start = time.perf_counter()
    result = compare_in_house(path)
    assert time.perf_counter() - start < TOO_SLOW_SECONDS
    lines = assert_rejected(
        result,
        "name: must be at most 200 characters (got 1,000,000)",
        "staff[0].annual_salary: expected an amount of money",
    )
    assert len(lines) == 2
    assert all(len(line) < 300 for line in lines)  # the values are shortened in messages


def test_very_long_unknown_key_is_shortened(tmp_path: Path) -> None:
    key = "k" * 1_000
    path = write(tmp_path, f"name: x\n{key}: 1\n" + STAFF)
    (line,) = assert_rejected(compare_in_house(path), ": unknown field")
    assert f":2:1: {'k' * 57}...: unknown field" in line


def test_binary_garbage(tmp_path: Path) -> None:
    junk = bytes((i * 167 + 13) % 256 for i in range(5_000))
    path = write(tmp_path, junk)
    assert_rejected(compare_in_house(path), f"{path}:1:2: not UTF-8 text (byte 0xb4)")


def test_control_characters_in_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\x07y\n" + STAFF)
    assert_rejected(
        compare_in_house(path),
        f"{path}:1:8: not valid YAML: a control character (U+0007) YAML does not allow",
    )


def test_utf16_file_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, ("name: x\n" + STAFF).encode("utf-16"))
    assert_rejected(compare_in_house(path), f"{path}:1:1: the file is saved as UTF-16")


def test_utf8_with_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, ("name: x\n" + STAFF).encode("utf-8-sig"))
    result = compare_in_house(path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("key", "place"),
    [("[a, b]: 1", "2:1"), ("{a: 1}: 1", "2:1"), ("? [a]\n: 1", "2:3")],
    ids=["list", "mapping", "complex"],
)
def test_keys_that_are_not_names(tmp_path: Path, key: str, place: str) -> None:
    path = write(tmp_path, f"name: x\n{key}\n" + STAFF)
    assert_rejected(compare_in_house(path), f"{path}:{place}: a key must be a plain field name")


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system x", "'!!python/object:os.system'"),
        ("!!python/object/apply:os.system [ls]", "'!!python/object/apply:os.system'"),
        ("!!python/name:os.system ''", "'!!python/name:os.system'"),
        ("!!binary aGVsbG8=", "'!!binary'"),
        ("!!set {a, b}", "'!!set'"),
        ("!custom 5", "'!custom'"),
    ],
)
def test_python_and_other_tags_are_refused(tmp_path: Path, value: str, tag: str) -> None:
    path = write(tmp_path, f"name: {value}\n" + STAFF)
    assert_rejected(compare_in_house(path), f"{path}:1:7: name: unsupported YAML tag {tag}")


def test_standard_tags_are_read_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'name: !!str 2027\nstaff:\n  - role: Agent\n    headcount: !!int "10"\n'
        "    annual_salary: !!float 40000\n",
    )
    assert compare_in_house(path).exit_code == 0


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name: x\nstaff:\n  - &agent\n    role: Agent\n    headcount: 1\n    annual_salary: 1\n"
        "  - <<: *agent\n    role: Lead\n",
    )
    assert_rejected(
        compare_in_house(path),
        f"{path}:7:5: staff[1]: merge keys ('<<') are not supported; write fields out",
    )


def test_a_folder_instead_of_a_file(tmp_path: Path) -> None:
    assert_rejected(compare_in_house(tmp_path), f"{tmp_path}: is a directory, expected a YAML file")


def test_file_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\n" + "# padding\n" * 600_000)
    assert_rejected(compare_in_house(path), f"{path}: file is larger than 5,000,000 bytes")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\n\tstaff: []\n", "2:1: not valid YAML: a tab character; indent with spaces"),
        ("name: Acme: Manila\n", "1:11: not valid YAML: unexpected ':'; check the indentation"),
        ("name: x\nstaff\n", "2:1: not valid YAML: expected 'key: value' on this line"),
        ("name: 'x\n", "1:7: not valid YAML: this quote is never closed"),
        ("name: {a: 1\n", "1:7: not valid YAML: this '{' is never closed"),
        (
            "name: x\nworkload:\n  unit: call\n monthly_volume: 1\n",
            "4:2: not valid YAML: the indentation of this line does not match the lines above it "
            "(the block starts on line 1)",
        ),
        ("name: @x\n", "1:7: not valid YAML: a value cannot start with '@'; put it in quotes"),
        ("name: *nope\n", "1:7: not valid YAML: found undefined alias 'nope'"),
        ("name: &\n", "1:7: not valid YAML: '&' and '*' start YAML anchors and aliases"),
        ("name: [1,,2]\n", "1:10: not valid YAML: expected a value, but found ','"),
    ],
    ids=[
        "tab",
        "colon",
        "no-colon",
        "quote",
        "brace",
        "indent",
        "at-sign",
        "undefined-alias",
        "empty-anchor",
        "double-comma",
    ],
)
def test_yaml_syntax_errors_in_plain_words(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    (line,) = assert_rejected(compare_in_house(path))
    assert line.startswith(f"{path}:{message}"), line


# ------------------------------------------------------ strict scalars, directly


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("1_000", 1000),
        ("-5", -5),
        ("0", 0),
        ("0.25", 0.25),
        ("1.5e+3", 1500.0),
        ("1.5e3", "1.5e3"),  # YAML 1.1 wants a sign in the exponent; the models read the text
        ('"yes"', "yes"),
        ("'010'", "010"),
        ('"2027-06-01"', "2027-06-01"),
        ("42,000", "42,000"),
        ("28%", "28%"),
        ("[1, 2]", [1, 2]),
    ],
)
def test_scalars_that_mean_what_they_say(text: str, value: object) -> None:
    assert parse_scalar(text, "--set x") == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yes", "write true or false, or put it in quotes if it is text"),
        ("On", "write true or false, or put it in quotes if it is text"),
        ("010", "write 10 without the leading zero"),
        ("0x1F", "write a plain decimal number (got '0x1F', a hexadecimal number)"),
        ("1:30", "write a plain decimal number (got '1:30', which YAML 1.1 reads as base 60)"),
        (".nan", "must be a finite number (got '.nan')"),
        ("-.inf", "must be a finite number (got '-.inf')"),
        ("2027-06-01", "a date is not a value here (got '2027-06-01')"),
    ],
)
def test_yaml_1_1_surprises_are_refused(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_scalar(text, "--set x=" + text)
    (problem,) = caught.value.problems
    # a value on the command line has no line or column of its own
    assert str(problem).startswith(f"--set x={text}: {message}")


def test_positions_point_at_keys_and_items() -> None:
    doc = load_text(
        "name: x\nstaff:\n  - role: Agent\n    headcount: 1\nworkload: {monthly_volume: 5}\n",
        "f.yaml",
    )
    assert doc.place(("name",)) == (1, 1)
    assert doc.place(("staff", 0)) == (3, 5)
    assert doc.place(("staff", 0, "headcount")) == (4, 5)
    assert doc.place(("workload", "monthly_volume")) == (5, 12)
    # a field that is not there is placed at its parent, where it should be added
    assert doc.place(("staff", 0, "annual_salary")) == (3, 5)
    assert doc.place(("one_time", 0)) == (1, 1)


def test_every_problem_of_a_file_is_collected() -> None:
    doc = load_text("a: yes\nb: 010\na: 1\nc: .nan\n", "f.yaml")
    assert [str(p).split(": ", 1)[0] for p in doc.problems] == [
        "f.yaml:1:4",
        "f.yaml:2:4",
        "f.yaml:3:1",
        "f.yaml:4:4",
    ]


# --------------------------------------------------------------------- fuzzing

EXAMPLE_FILES = sorted((ROOT / "examples").glob("*/*.yaml"))
JUNK = ["", " ", ":", ": ", "-", "- ", "[", "]", "{", "}", "'", '"', "#", "&a", "*a", "!!", "\t"]
JUNK += ["0", "1e9", "-5", ".nan", "yes", "%", ",", "~", "2027-01-01", "010", "x", "\n", "<<: "]


@st.composite
def mangled(draw: st.DrawFn) -> tuple[Path, str]:
    """An example file with a few lines or characters deleted, duplicated or replaced."""
    path = draw(st.sampled_from(EXAMPLE_FILES))
    lines = path.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        j = draw(st.integers(0, len(line)))
        op = draw(st.sampled_from(["drop-line", "copy-line", "drop", "replace", "insert"]))
        if op == "drop-line":
            del lines[i]
        elif op == "copy-line":
            lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == "drop":
            lines[i] = line[:j] + line[j + 1 :]
        else:
            junk = draw(st.sampled_from(JUNK) | st.text(max_size=3))
            lines[i] = line[:j] + junk + line[j + (op == "replace") :]
        if not lines:
            lines = [""]
    return path, "\n".join(lines)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=mangled())
def test_mangled_examples_exit_0_or_2(fuzz_dir: Path, case: tuple[Path, str]) -> None:
    original, text = case
    mangled_file = fuzz_dir / original.name
    mangled_file.write_text(text, encoding="utf-8")
    folder = original.parent
    if original.name == "in_house.yaml":
        vendor = sorted(folder.glob("vendor*.yaml"))[0]
        args = [str(mangled_file), str(vendor)]
    else:
        args = [str(folder / "in_house.yaml"), str(mangled_file)]
    result = CliRunner(env=ENV).invoke(app, ["compare", *args, "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stdout == ""
        for line in result.stderr.splitlines():
            assert line.startswith((str(mangled_file), str(folder))), line
            # pydantic's own wording never reaches the user
            assert "Input should" not in line and "Value error" not in line, line
