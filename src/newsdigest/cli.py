"""The ``newsdigest`` command line: parses options, calls the build functions, prints.

Exit status: 0 success, 1 content errors, 2 usage or configuration errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from newsdigest import __version__
from newsdigest.diagnostics import Diagnostic, NewsdigestError

T = TypeVar("T")

site_option = click.option(
    "--site",
    "site",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding site.toml and content/.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdigest")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected errors.")
@click.pass_context
def main(context: click.Context, debug: bool) -> None:
    """Build a curated news digest: articles in, issues, pages and feeds out."""
    context.obj = {"debug": debug}


@main.command()
@site_option
@click.option("--base-url", help="Publish address, overriding base_url in site.toml.")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: _site in the site folder).",
)
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
@click.option("--clean", is_flag=True, help="Rewrite every file instead of reusing unchanged ones.")
def build(site: Path, base_url: str | None, output: Path | None, drafts: bool, clean: bool) -> None:
    """Build the site into the output folder."""
    from newsdigest.build import BuildOptions
    from newsdigest.build import build as run_build
    from newsdigest.config import Overrides

    options = BuildOptions(Overrides(base_url=base_url), output, drafts, clean)
    result = _run(lambda: run_build(site, options))
    _print_diagnostics(result.diagnostics)
    warnings = len(result.diagnostics)
    click.echo(
        f"Built {_count(result.pages, 'page')} and {_count(result.feeds, 'feed')} "
        f"({_count(result.articles, 'article')} in {_count(result.issues, 'issue')}) "
        f"into {_shown(result.output)} in {result.seconds:.2f} s; "
        f"{_count(result.written, 'file')} written"
        + (f", {_count(warnings, 'warning')}" if warnings else "")
        + "."
    )


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new site in DIRECTORY, ready to build."""
    from newsdigest.scaffold import init_site

    created = _run(lambda: init_site(directory))
    click.echo(
        f"Created a new site in {_shown(directory)} ({len(created)} files). "
        f"Next: newsdigest build --site {_shown(directory)}"
    )


def _run(action: Callable[[], T]) -> T:
    try:
        return action()
    except NewsdigestError as exc:
        _print_diagnostics(exc.diagnostics)
        errors = sum(d.is_error for d in exc.diagnostics)
        click.secho(
            f"Stopped: {_count(errors, 'error')}; nothing was written.",
            fg="red",
            err=True,
        )
        sys.exit(exc.exit_code)
    except OSError as exc:
        if click.get_current_context().find_root().obj["debug"]:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        click.secho(f"{where}{exc.strerror or exc}", fg="red", err=True)
        sys.exit(1)
    except Exception as exc:
        if click.get_current_context().find_root().obj["debug"]:
            raise
        click.secho(
            f"internal error: {type(exc).__name__}: {exc} "
            "(run again with --debug for the traceback, and please report it)",
            fg="red",
            err=True,
        )
        sys.exit(1)


def _print_diagnostics(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        click.secho(str(diagnostic), fg="red" if diagnostic.is_error else "yellow", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)
