"""Themes: locating one, its Jinja2 environment, and its static files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from newsdigest.diagnostics import ConfigError, error

BUILTIN_THEMES = Path(__file__).resolve().parent.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    path: Path

    @property
    def templates(self) -> Path:
        return self.path / "templates"

    @property
    def static(self) -> Path:
        return self.path / "static"

    def static_files(self) -> Iterator[tuple[str, Path]]:
        """(name relative to ``static/``, file) in sorted order."""
        if self.static.is_dir():
            for path in sorted(self.static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    yield path.relative_to(self.static).as_posix(), path

    def fingerprint(self) -> str:
        """A hash of every template and static file: any theme edit changes it."""
        digest = hashlib.sha256()
        for path in sorted(p for p in self.path.rglob("*") if p.is_file()):
            digest.update(path.relative_to(self.path).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()

    def environment(self, compiled: Path | None = None) -> jinja2.Environment:
        """The theme's templates; ``compiled``: a folder where their compiled code is kept
        between builds (compiling them took a fortieth of a one-edit rebuild). Entries are
        keyed by each template's source, so an edited template is compiled anew."""
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.templates),
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )


def find_theme(root: Path, name: str) -> Theme:
    """The site's own ``themes/<name>`` if present, else the built-in theme of that name."""
    for base in (root / "themes", BUILTIN_THEMES):
        if (base / name / "templates").is_dir():
            return Theme(base / name)
    raise ConfigError(
        [
            error(
                "site.toml",
                None,
                f"theme '{name}' not found",
                f'create themes/{name}/templates/ or set theme = "default"',
                "config-theme",
            )
        ]
    )


def render_page(env: jinja2.Environment, template: str, context: dict[str, Any]) -> bytes:
    return env.get_template(template).render(context).encode("utf-8")
