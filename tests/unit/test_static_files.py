"""Hashing the static files: a changed file gets a new name, and so does every file that
refers to it, so a browser holding last year's copy never uses it with this year's page."""

from __future__ import annotations

from pathlib import Path

from portal.static_files import HASHED_FOLDER, build_hashed_files, load_manifest


def _static(tmp_path: Path, icon: str = "<svg></svg>") -> Path:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "js").mkdir()
    (static / "images").mkdir()
    (static / "scss").mkdir()
    (static / "images" / "tick.svg").write_text(icon)
    (static / "css" / "site.css").write_text(
        '.tick{background:url("../images/tick.svg")}.x{background:url(data:image/png;base64,AA)}'
        "\n/*# sourceMappingURL=site.css.map */"
    )
    (static / "js" / "extra.js").write_text("export const extra = 1;\n")
    (static / "js" / "main.js").write_text('import { extra } from "./extra.js";\nextra;\n')
    (static / "scss" / "site.scss").write_text("a { color: red; }")
    return static


def test_files_get_hashed_names_and_references_follow(tmp_path: Path) -> None:
    static = _static(tmp_path)
    manifest = build_hashed_files(static)
    assert manifest == load_manifest(static)
    assert set(manifest) == {"css/site.css", "images/tick.svg", "js/extra.js", "js/main.js"}
    out = static / HASHED_FOLDER
    css = (out / manifest["css/site.css"]).read_text()
    assert f'url("../{manifest["images/tick.svg"]}")' in css
    assert "data:image/png;base64,AA" in css
    assert "sourceMappingURL" not in css
    main = (out / manifest["js/main.js"]).read_text()
    assert f'from "./{manifest["js/extra.js"].removeprefix("js/")}"' in main


def test_a_changed_image_renames_the_stylesheet_that_uses_it(tmp_path: Path) -> None:
    first = build_hashed_files(_static(tmp_path / "before"))
    second = build_hashed_files(_static(tmp_path / "after", icon="<svg><path/></svg>"))
    assert first["images/tick.svg"] != second["images/tick.svg"]
    assert first["css/site.css"] != second["css/site.css"]
    assert first["js/main.js"] == second["js/main.js"]


def test_text_files_get_gzip_and_brotli_copies(tmp_path: Path) -> None:
    static = _static(tmp_path)
    (static / "css" / "big.css").write_text(".a{color:red}\n" * 500)
    manifest = build_hashed_files(static)
    hashed = static / HASHED_FOLDER / manifest["css/big.css"]
    assert hashed.with_name(hashed.name + ".gz").is_file()
    assert hashed.with_name(hashed.name + ".br").is_file()
