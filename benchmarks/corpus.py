"""A deterministic synthetic news corpus with known answers, for benchmarks.

Articles belong to planted topics (each with its own vocabulary), name related stories
from a pool (printed with varied case, quotes and punctuation), and some are planted
syndicated copies of others. The same seed always gives the same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsdigest.model import Article, ArticleBody, Mention

SYLLABLES = "ka lo mi ra tu ne sa vo pe li da ko ru ma te zi no ba ge fu hi ya".split()
TOPICS = 24
TOPIC_WORDS = 60
COMMON_WORDS = 3000
STORIES_PER_TOPIC = 40
COPY_EVERY = 40
START = datetime(2020, 1, 6, 8, tzinfo=UTC)


@dataclass
class Corpus:
    articles: list[Article]
    topic_of: dict[str, int]
    copies: dict[str, str] = field(default_factory=dict)
    """Planted copy slug → original slug."""
    story_of_mention: dict[tuple[str, int], int] = field(default_factory=dict)
    """(article slug, mention index) → outside story id."""


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _vocabulary(rng: random.Random, size: int, syllables: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < size:
        words[_word(rng, syllables)] = None
    return list(words)


def _sentence(rng: random.Random, topic: list[str], common: list[str]) -> str:
    """Fourteen words punctuated as news prose is: about a third of sentences hold a quote
    or an apostrophe, a few a dash, emphasis, an ampersand or a link (the shares of the
    demo digest's articles), so Markdown's inline patterns do their real work."""
    words = [rng.choice(topic) if rng.random() < 0.3 else rng.choice(common) for _ in range(14)]
    roll = rng.random()
    if roll < 0.2:
        words[3] = '"' + words[3]
        words[8] += '," said ' + words[9].capitalize()
        del words[9]
    elif roll < 0.35:
        words[5] += "'s"
    elif roll < 0.39:
        words[6] += " --"
    elif roll < 0.42:
        words[2] = f"*{words[2]}*"
    elif roll < 0.44:
        words[10] = "&"
    elif roll < 0.46:
        words[4] = f"[{words[4]} {words[5]}](https://example.org/{words[4]})"
        del words[5]
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, sentences: list[str]) -> str:
    """Sentences grouped into paragraphs of one to three, one paragraph per line."""
    paragraphs = []
    while sentences:
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[:size]))
        sentences = sentences[size:]
    return "\n".join(paragraphs)


def _vary(rng: random.Random, title: str) -> str:
    """A headline as another page prints it: case, quotes or a trailing full stop."""
    choice = rng.randrange(4)
    if choice == 0:
        return title.upper()
    if choice == 1:
        return title.lower() + "."
    if choice == 2:
        return title.replace("'", "’")
    return title


def generate(count: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    common = _vocabulary(rng, COMMON_WORDS, 3)
    topics = [_vocabulary(rng, TOPIC_WORDS, 4) for _ in range(TOPICS)]
    stories = [
        [
            f"{' '.join(rng.choice(topics[t]) for _ in range(3)).capitalize()} 'deal' "
            f"{rng.choice(common)} {rng.randrange(10, 999)}"
            for _ in range(STORIES_PER_TOPIC)
        ]
        for t in range(TOPICS)
    ]
    corpus = Corpus([], {})
    for number in range(count):
        slug = f"article-{number:06d}"
        when = START + timedelta(hours=number * 3)
        if number % COPY_EVERY == COPY_EVERY - 1 and corpus.articles:
            original = corpus.articles[-1]
            corpus.copies[slug] = original.slug
            corpus.topic_of[slug] = corpus.topic_of[original.slug]
            body = original.body.text + " " + _sentence(rng, topics[0], common)
            corpus.articles.append(
                _article(slug, f"{original.title} (wire copy)", when, "Copy Wire", body, ())
            )
            continue
        topic = rng.randrange(TOPICS)
        corpus.topic_of[slug] = topic
        title = " ".join(rng.choice(topics[topic]) for _ in range(4)).capitalize() + f" {number}"
        body = _paragraphs(rng, [_sentence(rng, topics[topic], common) for _ in range(18)])
        picks = rng.sample(range(STORIES_PER_TOPIC), 3)
        mentions = tuple(Mention(_vary(rng, stories[topic][p]), "Wire") for p in picks)
        for index, pick in enumerate(picks):
            corpus.story_of_mention[(slug, index)] = topic * STORIES_PER_TOPIC + pick
        corpus.articles.append(_article(slug, title, when, f"Source {topic}", body, mentions))
    return corpus


def _article(
    slug: str, title: str, when: datetime, source: str, body: str, mentions: tuple[Mention, ...]
) -> Article:
    return Article(
        slug=slug,
        title=title,
        date=when,
        source=source,
        url=None,
        author=None,
        summary=body.split(".")[0] + ".",
        topics=(),
        tags=(),
        issue_pin=None,
        draft=False,
        body=ArticleBody("", body),
        mentions=mentions,
        duplicate_of=None,
        source_file=None,
        source_path=f"content/articles/{slug}.md",
    )
