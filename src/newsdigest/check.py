"""``newsdigest check``: lint the content, then check the built site as a reader would meet
it: every internal link, anchor and asset resolves, and every feed follows the rules
readers and validators rely on."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from newsdigest.build import BuildOptions
from newsdigest.diagnostics import ContentError, Diagnostic, error, warning
from newsdigest.locking import site_lock
from newsdigest.output.writer import finish_interrupted_commit
from newsdigest.pipeline import load_site

ATOM = "{http://www.w3.org/2005/Atom}"
_LINKING = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"))


@dataclass(frozen=True, slots=True)
class CheckResult:
    pages: int
    feeds: int
    diagnostics: tuple[Diagnostic, ...]


def check_site(root: Path, output: Path, options: BuildOptions) -> CheckResult:
    """Content diagnostics, then link and feed diagnostics of the built site in ``output``."""
    try:
        model, diagnostics = load_site(root, options)
        base_url = model.config.base_url
    except ContentError as exc:
        return CheckResult(0, 0, exc.diagnostics)
    if not output.is_dir():
        hint = "run 'newsdigest build' first, or pass --output"
        missing = error(str(output), None, "there is no built site to check", hint, "check-no-site")
        return CheckResult(0, 0, (*diagnostics, missing))
    output = output.resolve()
    with site_lock(root):  # a build killed while moving files in leaves them to finish
        finish_interrupted_commit(output)
    built_for = _built_for(output)
    if built_for is not None and built_for != base_url:
        hint = f"check it with --base-url {built_for}, or rebuild it"
        message = f"the site was built for {built_for}, not for {base_url}"
        problem = error(str(output), None, message, hint, "check-base-url")
        return CheckResult(0, 0, (*diagnostics, problem))
    site = _BuiltSite(output, base_url)
    pages = sorted(output.rglob("*.html"))
    feeds = [p for p in sorted(output.rglob("*.xml")) if p.name != "sitemap.xml"]
    for page in pages:
        diagnostics += site.check_page(page)
    for feed in feeds:
        diagnostics += site.check_feed(feed)
    return CheckResult(len(pages), len(feeds), tuple(diagnostics))


def _built_for(output: Path) -> str | None:
    """The address the site in ``output`` was built for: its home page's canonical link."""
    home = output / "index.html"
    if not home.is_file():
        return None
    links = lxml.html.fromstring(home.read_bytes()).xpath("//link[@rel='canonical']/@href")
    return str(links[0]) if links else None


class _BuiltSite:
    def __init__(self, output: Path, base_url: str) -> None:
        self.output = output
        self.base_url = base_url
        self.base = urlsplit(base_url)
        self._ids: dict[Path, set[str]] = {}

    def name(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()

    def page_url(self, page: Path) -> str:
        route = self.name(page).removesuffix("index.html")
        return urljoin(self.base_url, self.base.path + route)

    def check_page(self, page: Path) -> Iterator[Diagnostic]:
        document = lxml.html.fromstring(page.read_bytes())
        here = self.page_url(page)
        for tag, attribute in _LINKING:
            for element in document.iter(tag):
                value = element.get(attribute)
                if value is None:
                    continue
                problem = self.link_problem(urljoin(here, value))
                if problem:
                    yield error(
                        self.name(page),
                        element.sourceline,
                        f"{problem}: {value}",
                        "fix the link in the content or theme that produced it",
                        "check-link",
                    )

    def link_problem(self, url: str) -> str | None:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != (self.base.scheme, self.base.netloc):
            return None  # another site: not ours to check
        if not parts.path.startswith(self.base.path):
            return "link outside the site's base path"
        relative = unquote(parts.path[len(self.base.path) :])
        target = self.output / relative
        if relative == "" or relative.endswith("/"):
            target = target / "index.html"
        if not target.resolve().is_relative_to(self.output) or not target.is_file():
            return "broken link"
        if parts.fragment and target.suffix == ".html" and parts.fragment not in self.ids(target):
            return "link to a missing anchor"
        return None

    def ids(self, page: Path) -> set[str]:
        if page not in self._ids:
            self._ids[page] = set(lxml.html.fromstring(page.read_bytes()).xpath("//@id"))
        return self._ids[page]

    def check_feed(self, feed: Path) -> Iterator[Diagnostic]:
        name = self.name(feed)
        try:
            root = ET.parse(feed).getroot()
        except ET.ParseError as exc:
            yield error(name, exc.position[0], f"not well-formed XML: {exc}", None, "check-feed")
            return
        own_url = self.base_url + name
        is_atom = root.tag == f"{ATOM}feed"
        links = root.findall(f"{ATOM}link") if is_atom else root.findall(f"channel/{ATOM}link")
        if not any(link.get("rel") == "self" and link.get("href") == own_url for link in links):
            yield error(name, None, f'no rel="self" link to {own_url}', None, "check-feed-self")
        entries = root.findall(f"{ATOM}entry") if is_atom else root.findall("channel/item")
        seen: set[str] = set()
        for entry in entries:
            yield from self._check_entry(name, entry, is_atom, seen)

    def _check_entry(
        self, name: str, entry: ET.Element, is_atom: bool, seen: set[str]
    ) -> Iterator[Diagnostic]:
        if is_atom:
            guid = entry.findtext(f"{ATOM}id", "")
            link_element = entry.find(f"{ATOM}link")
            link = link_element.get("href", "") if link_element is not None else ""
            date, valid = entry.findtext(f"{ATOM}updated", ""), _iso_date
        else:
            guid, link = entry.findtext("guid", ""), entry.findtext("link", "")
            date, valid = entry.findtext("pubDate", ""), _rfc822_date
        if not guid or guid in seen:
            yield error(name, None, f"missing or repeated GUID: {guid!r}", None, "check-feed-guid")
        seen.add(guid)
        if urlsplit(link).scheme not in ("http", "https"):
            yield error(name, None, f"item link is not absolute: {link!r}", None, "check-feed-link")
        if not valid(date):
            yield error(name, None, f"item date is not valid: {date!r}", None, "check-feed-date")
        for element in entry.iter():
            if element.tag.rsplit("}", 1)[-1] in ("encoded", "content") and element.text:
                fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
                for value in fragment.xpath("//@href | //@src"):
                    if urlsplit(value).scheme not in ("http", "https", "mailto"):
                        yield warning(
                            name,
                            None,
                            f"relative URL in item content: {value}",
                            "feed readers cannot resolve it",
                            "check-feed-relative",
                        )


def _rfc822_date(text: str) -> bool:
    try:
        return parsedate_to_datetime(text).tzinfo is not None
    except (TypeError, ValueError):
        return False


def _iso_date(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False
