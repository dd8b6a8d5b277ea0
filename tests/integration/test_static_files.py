"""Static files: hashed names, a year's caching, compressed copies, and no outside fonts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.static_files import IMMUTABLE, load_manifest


@pytest.fixture
def built(app: Flask) -> dict[str, str]:
    assert app.static_folder is not None
    manifest = load_manifest(Path(app.static_folder))
    assert manifest, "the static files have not been built: run `make assets` first"
    return manifest


def fetch(client: FlaskClient, url: str, encoding: str = "") -> TestResponse:
    """GET a static file and close it, as a WSGI server does once it has sent the file."""
    response = client.get(url, headers={"Accept-Encoding": encoding})
    response.get_data()
    response.close()
    return response


def _page_assets(client: FlaskClient) -> list[str]:
    html = client.get("/sign-in").get_data(as_text=True)
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_ask_for_hashed_files_only(client: FlaskClient, built: dict[str, str]) -> None:
    assets = _page_assets(client)
    assert "/static/" + built["vendor/nhsuk/nhsuk-frontend.min.css"] in assets
    assert "/static/" + built["css/portal.css"] in assets
    assert "/static/" + built["js/portal.js"] in assets
    assert "/static/" + built["vendor/nhsuk/assets/images/favicon.svg"] in assets
    hashed = re.compile(r"\.[0-9a-f]{12}\.")
    assert [url for url in assets if not hashed.search(url)] == []


@pytest.mark.parametrize(("encoding", "expected"), [("br", "br"), ("gzip", "gzip")])
def test_hashed_files_are_compressed_and_cached_for_a_year(
    client: FlaskClient, built: dict[str, str], encoding: str, expected: str
) -> None:
    url = "/static/" + built["vendor/nhsuk/nhsuk-frontend.min.css"]
    response = fetch(client, url, encoding)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == expected
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The stylesheet is about 250 KB; compressed it is a tenth of that.
    assert len(response.data) < 30_000


def test_a_browser_without_compression_gets_the_plain_file(
    client: FlaskClient, built: dict[str, str]
) -> None:
    response = fetch(client, "/static/" + built["js/portal.js"])
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"initAll()" in response.data


def test_the_stylesheet_has_no_outside_fonts(client: FlaskClient, built: dict[str, str]) -> None:
    css = fetch(client, "/static/" + built["vendor/nhsuk/nhsuk-frontend.min.css"]).get_data(
        as_text=True
    )
    assert "@font-face" not in css
    assert "assets.nhs.uk" not in css
    assert "http" not in "".join(re.findall(r"url\([^)]*\)", css))


def test_every_file_a_file_refers_to_is_served(client: FlaskClient, built: dict[str, str]) -> None:
    """Images in the stylesheets and modules the scripts import are found, at hashed names."""
    references = 0
    for name in built.values():
        base = "/static/" + name.rsplit("/", 1)[0] + "/"
        if name.endswith(".css"):
            text = fetch(client, "/static/" + name).get_data(as_text=True)
            found = re.findall(r'url\("([^"]+)"\)', text)
        elif name.endswith(".js"):
            text = fetch(client, "/static/" + name).get_data(as_text=True)
            found = re.findall(r'from\s*"(\.{1,2}/[^"]+)"', text)
        else:
            continue
        for ref in found:
            if ref.startswith("data:"):
                continue
            url = _join(base, ref)
            response = fetch(client, url)
            assert response.status_code == 200, f"{name} refers to {url}, which is missing"
            assert response.headers["Cache-Control"] == IMMUTABLE
            references += 1
    assert references >= 3  # the stylesheet's icons and portal.js's two imports


def _join(base: str, ref: str) -> str:
    parts = base.rstrip("/").split("/")
    for part in ref.split("/"):
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def test_signed_in_pages_still_keep_static_files_cacheable(
    client_as: Callable[[str], FlaskClient], built: dict[str, str]
) -> None:
    """Pages of a signed-in person are never stored; the files they use are."""
    member_client = client_as("member")
    page = member_client.get("/")
    assert page.headers["Cache-Control"] == "no-store"
    css = fetch(member_client, "/static/" + built["css/portal.css"])
    assert css.headers["Cache-Control"] == IMMUTABLE
