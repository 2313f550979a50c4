"""A table read from CSV for ``manyi analyze``: named columns, as numbers or as text."""

import csv
import math
from pathlib import Path

import numpy as np


class TableError(ValueError):
    """A one-line reason the data cannot be analysed."""


class Table:
    """Columns of a CSV file (one row per respondent), read as numbers on demand."""

    def __init__(self, path: Path):
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                if not header:
                    raise TableError(f"{path}: the file is empty")
                self.columns = [name.strip() for name in header]
                self.rows = [row for row in reader if any(cell.strip() for cell in row)]
        except OSError as error:
            raise TableError(f"{path}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise TableError(f"{path}: not UTF-8 text") from error

    def column(self, name: str) -> list[str]:
        """One column's cells as text, stripped."""
        if name not in self.columns:
            raise TableError(f"unknown column {name!r} (the file has {', '.join(self.columns)})")
        position = self.columns.index(name)
        return [row[position].strip() if position < len(row) else "" for row in self.rows]

    def numbers(self, names: list[str]) -> np.ndarray:
        """The named columns as floats, one row per respondent; empty cells are NaN."""
        missing = [name for name in names if name not in self.columns]
        if missing:
            raise TableError(
                f"unknown column {missing[0]!r} (the file has {', '.join(self.columns)})"
            )
        positions = [self.columns.index(name) for name in names]
        data = np.full((len(self.rows), len(names)), math.nan)
        for r, row in enumerate(self.rows):
            for c, position in enumerate(positions):
                cell = row[position].strip() if position < len(row) else ""
                if cell == "":
                    continue
                try:
                    data[r, c] = float(cell)
                except ValueError as error:
                    raise TableError(
                        f"row {r + 2}, column {names[c]!r}: {cell!r} is not a number"
                    ) from error
        return data


def complete_rows(data: np.ndarray) -> np.ndarray:
    """Listwise deletion: the rows with no missing value."""
    return data[~np.isnan(data).any(axis=1)]


def pairwise_correlation(data: np.ndarray) -> tuple[np.ndarray, int]:
    """Correlations each from the rows where both columns are answered; and the least n."""
    k = data.shape[1]
    correlation = np.eye(k)
    least = data.shape[0]
    for i in range(k):
        for j in range(i + 1, k):
            both = ~(np.isnan(data[:, i]) | np.isnan(data[:, j]))
            least = min(least, int(both.sum()))
            if both.sum() < 3:
                raise TableError("too few rows answer both of two columns")
            correlation[i, j] = correlation[j, i] = np.corrcoef(data[both, i], data[both, j])[0, 1]
    if np.isnan(correlation).any():
        raise TableError("a column has no variance where it is answered")
    return correlation, least
