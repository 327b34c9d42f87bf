"""``sitemap.xml`` and ``robots.txt``."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from newsdigest.render import urls
from newsdigest.render.urls import SiteUrls


def sitemap(site_urls: SiteUrls, entries: Iterable[tuple[str, str | None]]) -> bytes:
    """``entries`` are (route, ISO last-modified date or None) of every indexable page."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for route, modified in entries:
        # &, < and > as XML wants them (quotes need no escaping in element text).
        lines.append(f"  <url><loc>{escape(site_urls.absolute(route), quote=False)}</loc>")
        if modified:
            lines.append(f"    <lastmod>{modified}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site_urls: SiteUrls) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_urls.absolute(urls.SITEMAP)}\n".encode()
