"""Static files: content-hashed copies, a manifest, and WhiteNoise to serve them.

``flask portal build-assets`` (run by ``make assets``) copies every file under ``static/`` into
``static/vendor/hashed/`` with a hash of its content in its name (``css/portal.css`` becomes
``css/portal.1a2b3c4d5e6f.css``), rewrites the references between them (stylesheet ``url()``\\ s,
JavaScript module imports, the web app manifest's icons) to the hashed names, writes gzip and
Brotli copies beside each, and records original → hashed names in ``static/vendor/manifest.json``.

At run time ``url_for("static", filename=...)`` gives the hashed address and WhiteNoise serves it
with a year-long immutable cache: a changed file gets a new name, so nobody sees a stale copy.
Without a build (a checkout before ``make assets``) the plain files are served as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise

log = logging.getLogger(__name__)

HASHED_FOLDER = "vendor/hashed"
MANIFEST_FILE = "vendor/manifest.json"
IMMUTABLE = "public, max-age=31536000, immutable"

# Sources of the build, not files a page asks for.
_NOT_SERVED_FOLDERS = ("scss/", HASHED_FOLDER + "/")
_NOT_SERVED_SUFFIXES = (".map", ".scss")

_CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<ref>[^"')]+)(?P=quote)\s*\)""")
_JS_IMPORT = re.compile(
    r"""(?P<head>\b(?:import|export)\b[^"';]*?\bfrom\s*|\bimport\s*\(?\s*)"""
    r"""(?P<quote>["'])(?P<ref>\.{1,2}/[^"']+)(?P=quote)"""
)
_SOURCE_MAP = re.compile(r"\n?/[/*]# sourceMappingURL=[^\n]*")


def build_hashed_files(static_folder: Path) -> dict[str, str]:
    """Write hashed, compressed copies of every static file and their manifest.

    Returns the manifest: each file's name under ``static/`` mapped to its hashed name. The
    previous build is replaced, so files that no longer exist are not served any more.
    """
    out = static_folder / HASHED_FOLDER
    if out.exists():
        shutil.rmtree(out)
    sources = sorted(
        path.relative_to(static_folder).as_posix()
        for path in static_folder.rglob("*")
        if path.is_file() and _is_served(path.relative_to(static_folder).as_posix())
    )
    manifest: dict[str, str] = {}
    known = set(sources)
    for name in sources:
        _hash_file(static_folder, name, known, manifest, visiting=set())
    # Imported here: only the build compresses, and it brings gzip, Brotli and a thread pool
    # that every web worker would otherwise hold.
    from whitenoise.compress import Compressor

    compressor = Compressor(quiet=True)
    for name in manifest.values():
        path = out / name
        if compressor.should_compress(path.name):
            for _ in compressor.compress(str(path)):
                pass  # the generator writes each .gz / .br file as it goes
    (static_folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def _is_served(name: str) -> bool:
    if name == MANIFEST_FILE or name.startswith(_NOT_SERVED_FOLDERS):
        return False
    if name.endswith(_NOT_SERVED_SUFFIXES):
        return False
    return not any(part.startswith(".") for part in name.split("/"))


def _hash_file(
    static_folder: Path, name: str, known: set[str], manifest: dict[str, str], visiting: set[str]
) -> str:
    """Hash one file, after the files it refers to, so their new names are part of its hash."""
    if name in manifest:
        return manifest[name]
    if name in visiting:
        raise ValueError(f"static files refer to each other in a circle: {name}")
    visiting.add(name)
    data = (static_folder / name).read_bytes()
    rewrite = _rewriter(name)
    if rewrite is not None:

        def hashed_reference(ref: str) -> str | None:
            target = _resolve(name, ref)
            if target is None or target not in known:
                return None
            hashed = _hash_file(static_folder, target, known, manifest, visiting)
            return posixpath.relpath(hashed, posixpath.dirname(name) or ".")

        data = rewrite(data.decode("utf-8"), hashed_reference).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:12]
    stem, dot, suffix = posixpath.basename(name).partition(".")
    hashed_name = posixpath.join(posixpath.dirname(name), f"{stem}.{digest}{dot}{suffix}")
    target_path = static_folder / HASHED_FOLDER / hashed_name
    target_path.parent.mkdir(parents=True, exist_ok=True)
    target_path.write_bytes(data)
    manifest[name] = hashed_name
    visiting.discard(name)
    return hashed_name


Rename = Callable[[str], "str | None"]


def _rewriter(name: str) -> Callable[[str, Rename], str] | None:
    if name.endswith(".css"):
        return _rewrite_css
    if name.endswith((".js", ".mjs")):
        return _rewrite_js
    if name.endswith(("manifest.json", ".webmanifest")):
        return _rewrite_web_manifest
    return None


def _resolve(name: str, ref: str) -> str | None:
    """The static file ``ref`` points at, seen from the file ``name``; None if not ours."""
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if not ref or ref.startswith(("/", "data:", "http:", "https:", "//")):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(name), ref))


def _rewrite_css(text: str, rename: Rename) -> str:
    def replace(match: re.Match[str]) -> str:
        new = rename(match["ref"])
        return match[0] if new is None else f'url("{new}")'

    return _SOURCE_MAP.sub("", _CSS_URL.sub(replace, text))


def _rewrite_js(text: str, rename: Rename) -> str:
    def replace(match: re.Match[str]) -> str:
        new = rename(match["ref"])
        if new is None:
            return match[0]
        if not new.startswith("."):
            new = "./" + new  # a bare name would be read as a package, not a file
        return f"{match['head']}{match['quote']}{new}{match['quote']}"

    return _SOURCE_MAP.sub("", _JS_IMPORT.sub(replace, text))


def _rewrite_web_manifest(text: str, rename: Rename) -> str:
    manifest = json.loads(text)
    for icon in manifest.get("icons", []):
        new = rename(icon.get("src", ""))
        if new is not None:
            icon["src"] = new
    return json.dumps(manifest, indent=2)


def load_manifest(static_folder: Path) -> dict[str, str]:
    """The last build's manifest, or an empty one when the assets have not been built."""
    path = static_folder / MANIFEST_FILE
    if not path.is_file():
        return {}
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded


def _security_headers(headers: Headers, path: str, url: str) -> None:
    # Every file here has its content's hash in its name, so it can be kept for a year.
    headers["Cache-Control"] = IMMUTABLE
    headers["X-Content-Type-Options"] = "nosniff"


def init_static_files(app: Flask) -> None:
    """Serve the hashed build with WhiteNoise and make ``url_for("static")`` point at it."""
    if app.static_folder is None:
        return
    static_folder = Path(app.static_folder)
    manifest = load_manifest(static_folder)
    if not manifest:
        log.info("static files have not been built (make assets): serving them unhashed")
        return

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(static_folder / HASHED_FOLDER),
        prefix=app.static_url_path,
        max_age=None,
        add_headers_function=_security_headers,
    )

    def hashed_static_name(endpoint: str | None, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])

    app.url_defaults(hashed_static_name)


if __name__ == "__main__":  # python -m portal.static_files, run by `make assets`
    static = Path(__file__).resolve().parent.parent / "static"
    built = build_hashed_files(static)
    print(f"{len(built)} static files hashed and compressed into static/{HASHED_FOLDER}")
