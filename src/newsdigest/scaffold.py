"""``newsdigest init``: a starter site that builds as it is."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from newsdigest.config import CONFIG_FILE
from newsdigest.diagnostics import ConfigError, error
from newsdigest.render.theme import BUILTIN_THEMES

STARTER_CONFIG = """\
# Every setting is described in the newsdigest README ("site.toml reference").
title = "My News Digest"
description = "The week's most useful stories, picked and summarised."
base_url = "http://localhost:8000/"
language = "en"
timezone = "UTC"
author = "The editors"

[issues]
cadence = "weekly"   # daily, weekly or monthly
first_number = 1

[[topics]]
name = "Technology"
slug = "technology"
keywords = ["software", "chip", "AI", "startup", "internet"]

[[topics]]
name = "Economy"
slug = "economy"
keywords = ["market", "trade", "bank", "inflation", "prices"]

[[topics]]
name = "World"
slug = "world"
keywords = ["government", "election", "minister", "summit"]
fallback = true

[articles]
display = "full"     # full, excerpt or summary
smart_punctuation = true   # typographic quotes and dashes (an article may say otherwise)

[feeds]
issues = 20
articles = 50
"""

STARTER_ARTICLE = """\
---
title: "Welcome to your news digest"
date: {today}
source: "My News Digest"
summary: "How this digest is put together, and where to add the next story."
tags: [meta]
related:
  - title: "How to write a good summary"
    source: "Editors' Handbook"
---

Every article lives in `content/articles/` as a Markdown file with front matter:
a title, a date and the source that published it.

Articles are grouped into issues by week, and into topics by the keywords listed in
`site.toml`. Run `newsdigest build` and open `_site/index.html` through a local server.
"""

STARTER_INTRO = """\
---
title: "The first issue"
---

A short note from the editors that opens the issue page.
"""

STARTER_ABOUT = """\
---
title: "About"
---

This digest collects the stories worth reading, with a short summary and a link
to the outlet that published each one. Subscribe through the RSS feed.
"""


def init_site(directory: Path, *, today: date | None = None) -> list[Path]:
    """Create the starter site; refuse to touch a folder that already has files."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ConfigError(
            [
                error(
                    str(directory),
                    None,
                    "the folder is not empty",
                    "choose a new folder name; init never overwrites files",
                    "init-not-empty",
                )
            ]
        )
    stamp = (today or date.today()).isoformat()
    files = {
        CONFIG_FILE: STARTER_CONFIG,
        "content/articles/welcome.md": STARTER_ARTICLE.format(today=stamp),
        "content/issues/1.md": STARTER_INTRO,
        "content/pages/about.md": STARTER_ABOUT,
    }
    created = []
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    theme = directory / "themes" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    created += sorted(p for p in theme.rglob("*") if p.is_file())
    return created
