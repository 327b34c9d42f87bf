"""Stage 0, import: raw sources (copied text, saved HTML, feeds, Markdown) become articles.

Each importer is a pure function from bytes or text to ``ImportedArticle`` values;
``writeout.py`` turns those into ``content/articles/*.md`` files.
"""
