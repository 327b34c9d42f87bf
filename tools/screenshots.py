"""Screenshots of the demo digest for the README: home, issue and article pages at desktop
and mobile widths, taken in headless Chromium. Run: make screenshots"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from demo import REPO, chromium, serving_demo

OUT = REPO / "docs" / "screenshots"
PAGES = {"home": "", "issue": "issues/2/", "article": "articles/pacific-cable-treaty-signed/"}
SIZES = {"desktop": (1280, 1000), "mobile": (390, 844)}
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    browser_path = chromium()
    OUT.mkdir(parents=True, exist_ok=True)
    with serving_demo() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=FLAGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, route in PAGES.items():
                page.goto(server.url + route)
                page.screenshot(path=OUT / f"{name}-{size}.png")
                print(f"docs/screenshots/{name}-{size}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
