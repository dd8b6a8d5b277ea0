"""Comparing two versions of a draft: items added, removed and reworded, word by word."""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass

from portal.drafts.models import DraftVersion, VersionItem

COMPARED_FIELDS = ("title", "description", "theme", "what", "who", "by_when", "resources")
_TOKENS = re.compile(r"\s+|[^\s]+")


class Change(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REWORDED = "reworded"
    MOVED = "moved"
    SAME = "same"


@dataclass(frozen=True)
class Segment:
    """A run of words that is unchanged, inserted or deleted."""

    text: str
    kind: str  # "same", "inserted" or "deleted"


@dataclass(frozen=True)
class FieldChange:
    name: str
    segments: list[Segment]


@dataclass(frozen=True)
class ItemComparison:
    change: Change
    old: VersionItem | None
    new: VersionItem | None
    fields: list[FieldChange]

    @property
    def title(self) -> str:
        item = self.new if self.new is not None else self.old
        return item.title if item is not None else ""


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` turned into ``new`` as unchanged, deleted and inserted runs of words."""
    old_tokens = _TOKENS.findall(old or "")
    new_tokens = _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[Segment] = []
    for opcode, a1, a2, b1, b2 in matcher.get_opcodes():
        if opcode == "equal":
            segments.append(Segment("".join(old_tokens[a1:a2]), "same"))
            continue
        if opcode in ("delete", "replace"):
            segments.append(Segment("".join(old_tokens[a1:a2]), "deleted"))
        if opcode in ("insert", "replace"):
            segments.append(Segment("".join(new_tokens[b1:b2]), "inserted"))
    return [segment for segment in segments if segment.text]


def compare_versions(old: DraftVersion, new: DraftVersion) -> list[ItemComparison]:
    """Every item of either version, in the newer version's order, removed items last."""
    old_by_key = {item.key: item for item in old.items}
    new_keys = {item.key for item in new.items}
    comparisons: list[ItemComparison] = []
    old_order = [item.key for item in old.items if item.key in new_keys]
    new_order = [item.key for item in new.items if item.key in old_by_key]
    for item in new.items:
        before = old_by_key.get(item.key)
        if before is None:
            comparisons.append(ItemComparison(Change.ADDED, None, item, []))
            continue
        changed = [
            FieldChange(name, word_diff(getattr(before, name), getattr(item, name)))
            for name in COMPARED_FIELDS
            if getattr(before, name) != getattr(item, name)
        ]
        if changed:
            change = Change.REWORDED
        elif old_order.index(item.key) != new_order.index(item.key):
            change = Change.MOVED
        else:
            change = Change.SAME
        comparisons.append(ItemComparison(change, before, item, changed))
    for item in old.items:
        if item.key not in new_keys:
            comparisons.append(ItemComparison(Change.REMOVED, item, None, []))
    return comparisons
