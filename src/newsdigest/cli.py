"""The ``newsdigest`` command line: parses options, calls the build functions, prints.

Exit status: 0 success, 1 content errors, 2 usage or configuration errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from newsdigest import __version__
from newsdigest.config import load_config
from newsdigest.diagnostics import Diagnostic, NewsdigestError

if TYPE_CHECKING:
    from newsdigest.importers.run import Outcome

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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes for reading, ranking and rendering (default: all cores).",
)
def build(
    site: Path,
    base_url: str | None,
    output: Path | None,
    drafts: bool,
    clean: bool,
    jobs: int | None,
) -> None:
    """Build the site into the output folder."""
    from newsdigest.build import BuildOptions
    from newsdigest.build import build as run_build
    from newsdigest.config import Overrides

    options = BuildOptions(Overrides(base_url=base_url), output, drafts, jobs, clean)
    from newsdigest.report import ConsoleReporter

    reporter = ConsoleReporter()
    result = _run(lambda: run_build(site, options, on_wait=_tell_waiting, reporter=reporter))
    _print_diagnostics(result.diagnostics)
    warnings = len(result.diagnostics)
    click.echo(
        f"Built {_count(result.pages, 'page')} and {_count(result.feeds, 'feed')} "
        f"({_count(result.articles, 'article')} in {_count(result.issues, 'issue')}) "
        f"into {_shown(result.output)} in {result.seconds:.2f} s; "
        + ("nothing changed since the last build" if result.up_to_date else "")
        + ("" if result.up_to_date else f"{_count(result.written, 'file')} written")
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


@main.command()
@site_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--drafts", is_flag=True, help="Include articles marked draft: true.")
def serve(site: Path, host: str, port: int, drafts: bool) -> None:
    """Build and serve the site locally; rebuild and reload pages on every change."""
    from newsdigest.server import DevServer

    def log(message: str) -> None:
        click.echo(message, err=True)

    server = _run(lambda: DevServer(site, host=host, port=port, drafts=drafts, log=log))
    server.rebuild()
    click.echo(f"Serving {server.url} (the preview build lives in .newsdigest/; Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.stop()


@main.command()
@site_option
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site to check (default: _site in the site folder).",
)
@click.option("--base-url", help="The address the site was built for, if not base_url.")
def check(site: Path, output: Path | None, base_url: str | None) -> None:
    """Check the content, then the built site's links, anchors, assets and feeds."""
    from newsdigest.build import DEFAULT_OUTPUT, BuildOptions
    from newsdigest.check import check_site
    from newsdigest.config import Overrides

    folder = output or site / DEFAULT_OUTPUT
    options = BuildOptions(Overrides(base_url=base_url))
    result = _run(lambda: check_site(site.resolve(), folder, options))
    _print_diagnostics(result.diagnostics)
    errors = sum(d.is_error for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    click.echo(
        f"Checked {_count(result.pages, 'page')} and {_count(result.feeds, 'feed')}: "
        f"{_count(errors, 'error')}, {_count(warnings, 'warning')}."
    )
    sys.exit(1 if errors else 0)


@main.command(name="import")
@site_option
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "source_format",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "text", "html", "feed", "markdown"]),
    help="How to read the sources (auto: by content, then by file extension).",
)
@click.option(
    "--to",
    "target",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the new articles (default: content/articles in the site).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option(
    "--stdout", "to_stdout", is_flag=True, help="Print the extracted articles; write nothing."
)
@click.option(
    "--stdout-format",
    default="markdown",
    show_default=True,
    type=click.Choice(["markdown", "text", "json"]),
    help="With --stdout: the article file, the plain body text, or the extracted fields.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file of the same article.")
def import_command(
    site: Path,
    sources: tuple[str, ...],
    source_format: str,
    target: Path | None,
    dry_run: bool,
    to_stdout: bool,
    stdout_format: str,
    force: bool,
) -> None:
    """Import articles from SOURCES: files, folders, globs, http(s) URLs, or - for stdin."""
    from newsdigest.importers.report import print_outcomes
    from newsdigest.importers.run import ImportOptions, import_sources

    def run() -> list[Outcome]:
        config = load_config(site)
        folder = (target or site / "content" / "articles").resolve()
        options = ImportOptions(folder, source_format, dry_run or to_stdout, force)  # type: ignore[arg-type]
        return import_sources(site.resolve(), config, sources, options, on_wait=_tell_waiting)

    outcomes = _run(run)
    failed = print_outcomes(outcomes, stdout_format if to_stdout else None, dry_run)
    sys.exit(1 if failed else 0)


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


def _tell_waiting(message: str) -> None:
    click.secho(f"{message}...", fg="yellow", err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)
