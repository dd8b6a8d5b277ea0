"""One page of a long list, as the results pages show them: twenty at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

PAGE_SIZE = 20

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a long list."""

    rows: list[T]
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def first_position(self) -> int:
        return (self.number - 1) * self.size + 1


def last_page(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, math.ceil(total / size))
