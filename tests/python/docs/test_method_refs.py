"""docs/method.md is the one statement of the method: every reference to one of its
equations or sections resolves, and nothing points at the paper restatement outside the
repository any more.

Equations are the lines of docs/method.md's fenced blocks that end in a label, ``(12)`` or
``(E10)``; sections its ``## N.`` and ``### N.M`` headings. References are
``docs/method.md eq. (N)``, ``eqs. (A)-(B)``, ``section N``, ``sections A-B`` anywhere in
the repository, and inside docs/method.md itself the lettered labels ``(E10)`` and
``section N.M``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
METHOD = ROOT / "docs" / "method.md"
# what the repository's own files may not name any more: the external restatement (the name
# is built here so that this file does not contain it)
EXTERNAL = "METHOD" + ".md"
SKIP_DIRS = {".git", ".venv", "venv", "data", "target", "logs", "outputs", "warehouse", "dbt_packages",
             "__pycache__", "build", ".pytest_cache", "uncommitted", "out", "node_modules"}
TEXT_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".md", ".toml", ".j2", ".csv", ".txt", ".cfg", ".ini",
                 ".c", ".json", ".html", ".sh", ""}

LABEL = re.compile(r"\((?P<label>[A-Z]?\d+)\)\s*$")
HEADING = re.compile(r"^#{2,3} (?P<number>\d+(?:\.\d+)?)[. ]")
NUMBER = r"\(?[A-Z]?\d+\)?"
REFERENCE = re.compile(
    r"docs/method\.md[`)\]]*,?\s+(?:"
    rf"(?P<eq>eqs?)\.?\s*(?P<eqs>{NUMBER}(?:\s*[-\u2013]\s*{NUMBER})?)"
    r"|(?P<sec>sections?)\s+(?P<secs>\d+(?:\.\d+)?(?:\s*[-\u2013]\s*\d+(?:\.\d+)?)?))")
INTERNAL_LABEL = re.compile(r"\((?P<label>[A-Z]\d+)\)")
INTERNAL_SECTION = re.compile(r"\bsections? (?P<secs>\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?)")


def method_equations(text: str) -> list[str]:
    """Labels of the equations: the last ``(label)`` of each line inside fenced blocks."""
    labels, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = LABEL.search(line) if fenced else None
        if match:
            labels.append(match["label"])
    return labels


def method_sections(text: str) -> set[str]:
    return {m["number"] for line in text.splitlines() if (m := HEADING.match(line))}


def _expand(first: str, last: str | None) -> list[str]:
    """'E10', 'E12' -> E10, E11, E12; '6', '9' -> 6..9; sections '1', '3' -> 1, 2, 3."""
    if last is None:
        return [first]
    a, b = re.fullmatch(r"([A-Z]?)(\d+(?:\.\d+)?)", first), re.fullmatch(r"([A-Z]?)(\d+(?:\.\d+)?)", last)
    if a[1] != b[1] or "." in a[2] or "." in b[2]:
        return [first, last]
    return [f"{a[1]}{n}" for n in range(int(a[2]), int(b[2]) + 1)]


def _bounds(span: str) -> tuple[str, str | None]:
    parts = [p.strip().strip("()") for p in re.split(r"[-\u2013]", span) if p.strip()]
    return parts[0], parts[1] if len(parts) > 1 else None


def unresolved(text: str, equations: set[str], sections: set[str]) -> list[str]:
    """The references in ``text`` to docs/method.md that name no equation or section of it."""
    bad = []
    for match in REFERENCE.finditer(text):
        if match["eq"]:
            missing = [x for x in _expand(*_bounds(match["eqs"])) if x not in equations]
        else:
            missing = [x for x in _expand(*_bounds(match["secs"])) if x not in sections]
        if missing:
            bad.append(f"{' '.join(match[0].split())} (no {', '.join(missing)})")
    return bad


def repository_files() -> list[Path]:
    """The repository's text files, without the environment, data and build outputs."""
    out = []
    for directory, subdirs, names in os.walk(ROOT):
        subdirs[:] = [d for d in subdirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        out += [Path(directory, name) for name in names if Path(name).suffix in TEXT_SUFFIXES]
    return out


@pytest.fixture(scope="module")
def method() -> tuple[str, set[str], set[str]]:
    text = METHOD.read_text(encoding="utf-8")
    return text, set(method_equations(text)), method_sections(text)


def test_method_numbers_the_papers_equations_and_its_own_once(method):
    text, equations, sections = method
    labels = method_equations(text)
    assert len(labels) == len(set(labels)), sorted(x for x in labels if labels.count(x) > 1)
    assert {str(n) for n in range(1, 14)} <= equations, "the paper's (1)-(13) keep their numbers"
    for letter in "ELGRS":  # each added family numbered from 1 without gaps
        numbers = sorted(int(x[1:]) for x in equations if x[0] == letter)
        assert numbers == list(range(1, len(numbers) + 1)), (letter, numbers)
    assert {"1", "2", "3", "4", "5", "6"} <= sections


def test_every_reference_to_the_method_resolves(method):
    _, equations, sections = method
    bad, found = {}, 0
    for path in repository_files():
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "docs/method.md" not in text:
            continue
        found += len(REFERENCE.findall(text))
        problems = unresolved(text, equations, sections)
        if problems:
            bad[str(path.relative_to(ROOT))] = problems
    assert not bad, bad
    assert found, "no file refers to docs/method.md by equation or section"


def test_references_inside_the_method_resolve(method):
    text, equations, sections = method
    labels = {m["label"] for m in INTERNAL_LABEL.finditer(text)}
    assert not labels - equations, sorted(labels - equations)
    cited = {x for m in INTERNAL_SECTION.finditer(text) for x in _expand(*_bounds(m["secs"]))}
    assert not cited - sections, sorted(cited - sections)


def test_no_reference_to_the_external_restatement_remains():
    named = [f"{path.relative_to(ROOT)}:{number}" for path in repository_files()
             for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), 1)
             if EXTERNAL in line]
    assert not named, f"{EXTERNAL} is outside the repository; cite docs/method.md instead: {named}"


def test_the_resolver_catches_a_missing_equation_or_section(method):
    _, equations, sections = method
    doc = "docs/" "method.md"  # not written out, so that the repository scan does not see it
    text = (f"see {doc} eq. (12) and {doc} eqs. (6)-(9); {doc}\n   section 4; {doc} eq. (99); "
            f"{doc} eqs. (E13)-(E99); {doc} section 9.1")
    assert unresolved(text, equations, sections) == [
        f"{doc} eq. (99) (no 99)",
        f"{doc} eqs. (E13)-(E99) (no " + ", ".join(f"E{n}" for n in range(15, 100)) + ")",
        f"{doc} section 9.1 (no 9.1)",
    ]
