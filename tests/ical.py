"""A small, strict iCalendar (RFC 5545) reader written for the tests, independent of the library
the portal writes calendar files with. It refuses anything a fussy calendar program might."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

_NAME = re.compile(r"^[A-Z0-9-]+$")


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> str:
        values = [value for prop, _params, value in self.properties if prop == name]
        assert len(values) == 1, f"{self.name} has {len(values)} {name} properties"
        return values[0]

    def params(self, name: str) -> dict[str, str]:
        return next(params for prop, params, _value in self.properties if prop == name)

    def has(self, name: str) -> bool:
        return any(prop == name for prop, _params, _value in self.properties)

    def text(self, name: str) -> str:
        """A TEXT value with its escapes undone."""
        return (
            self.get(name)
            .replace("\\n", "\n")
            .replace("\\N", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
        )

    def moment(self, name: str) -> datetime:
        """A DATE-TIME value in UTC form ("20270314T180000Z")."""
        value = self.get(name)
        assert re.fullmatch(r"\d{8}T\d{6}Z", value), f"{name} is not a UTC time: {value}"
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)

    def events(self) -> list[Component]:
        return [child for child in self.children if child.name == "VEVENT"]


def _split(line: str) -> tuple[str, dict[str, str], str]:
    # The name and parameters end at the first colon outside double quotes.
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no colon in content line: {line!r}")
    name, *raw_params = head.split(";")
    assert _NAME.match(name), f"bad property name {name!r}"
    params = {}
    for raw in raw_params:
        key, sep, val = raw.partition("=")
        assert sep and _NAME.match(key), f"bad parameter {raw!r}"
        params[key] = val.strip('"')
    return name, params, value


def parse(text: str) -> Component:
    """The VCALENDAR in ``text``; fails on bare line feeds, long lines or broken nesting."""
    assert text.endswith("\r\n"), "the file must end with CRLF"
    raw_lines = text[:-2].split("\r\n")
    for raw in raw_lines:
        assert "\n" not in raw and "\r" not in raw, "a line ends with a bare LF or CR"
        assert len(raw.encode()) <= 75, f"line longer than 75 octets: {raw!r}"
    lines: list[str] = []
    for raw in raw_lines:
        if raw[:1] in (" ", "\t"):
            assert lines, "the file starts with a continuation line"
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    stack: list[Component] = []
    root: Component | None = None
    for line in lines:
        name, params, value = _split(line)
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "more than one top-level component"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value, f"END:{value} does not match"
            stack.pop()
        else:
            assert stack, f"property {name} outside any component"
            stack[-1].properties.append((name, params, value))
    assert not stack, "a component was not closed"
    assert root is not None and root.name == "VCALENDAR"
    assert root.get("VERSION") == "2.0"
    assert root.has("PRODID")
    for event in root.events():
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert event.has(required), f"VEVENT without {required}"
    return root
