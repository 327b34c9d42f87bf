"""Hostile strings that try to run code in a reader's browser, and a scanner that proves
none of them does in a built site."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html

# Evaluated template syntax would print this number; it must never appear.
TEMPLATE_PROBE = "{{ 1337*1337 }}"
TEMPLATE_RESULT = str(1337 * 1337)

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    TEMPLATE_PROBE,
    "{% for x in range(3) %}loop{% endfor %}",
    "{{ config }} {{ self }} {{ ''.__class__ }}",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<base href="javascript:/">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "]]><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
ARTICLE_CONTEXTS = [
    "title",
    "summary",
    "body",
    "author",
    "source",
    "tags",
    "related title",
    "related source",
    "related summary",
]
SITE_CONTEXTS = ["site description", "page body", "issue intro"]
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster")
_FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "base", "frame", "frameset")


def problems_in_html(document: lxml.html.HtmlElement) -> list[str]:
    """Anything executable in a parsed page or fragment."""
    found = [
        f"<{el.tag}>"
        for tag in _FORBIDDEN_TAGS
        for el in document.iter(tag)
        if not _is_theme_data(el)
    ]
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{element.tag} {name}=")
            if name.lower() in _URL_ATTRIBUTES and value.strip().lower().startswith(
                _DANGEROUS_SCHEMES
            ):
                found.append(f"{element.tag} {name}={value[:30]}")
        if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("meta refresh")
    return found


THEME_SCRIPTS = ("static/search.js",)


def _is_theme_data(element: lxml.html.HtmlElement) -> bool:
    """What the theme itself puts there: its search script (an external file, no inline
    code), and its JSON-LD block (data, never executed, that must hold valid JSON)."""
    if element.tag != "script":
        return False
    if element.get("src", "").endswith(THEME_SCRIPTS) and not (element.text or "").strip():
        return True
    if element.get("type") != "application/ld+json":
        return False
    try:
        json.loads(element.text or "")
    except ValueError:
        return False
    return True


def problems_in_site(output: Path) -> list[str]:
    """Scan every page and every feed item of a built site."""
    found = []
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found += [f"{page.name}: {p}" for p in problems_in_html(lxml.html.fromstring(text))]
        if TEMPLATE_RESULT in text:
            found.append(f"{page.name}: template syntax was evaluated")
    for feed in sorted(output.rglob("*.xml")):
        root = ET.parse(feed).getroot()  # a CDATA breakout would make this fail
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("encoded", "content", "description", "summary") and element.text:
                fragment = lxml.html.fragment_fromstring(element.text, create_parent="div")
                found += [f"{feed.name}: {p}" for p in problems_in_html(fragment)]
        if TEMPLATE_RESULT in feed.read_text(encoding="utf-8"):
            found.append(f"{feed.name}: template syntax was evaluated")
    return found
