"""What a failed checkpoint reports: one line per failed expectation and file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Failure:
    """One failed expectation on one file, as the terminal shows it."""

    source: str
    file: str
    expectation: str
    column: str
    observed: str
    expected: str

    def __str__(self) -> str:
        return f"{self.source} {self.file}: {self.expectation} on {self.column}: {self.observed} (expected {self.expected})"


class DataQualityError(ValueError):
    """A checkpoint failed: the rows were kept out of raw (the load rolled back)."""

    def __init__(self, source: str, failures: list[Failure], data_docs: str | None = None):
        self.source = source
        self.failures = list(failures)
        self.data_docs = data_docs
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: {len(self.failures)} failed expectation(s); nothing was loaded"
        if self.data_docs:
            head += f" (Data Docs: {self.data_docs})"
        return "\n".join([head, *map(str, self.failures)])

    def __reduce__(self):
        return (type(self), (self.source, self.failures, self.data_docs))
