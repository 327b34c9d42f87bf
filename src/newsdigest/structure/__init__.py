"""Stage 2, structure: articles become topics, issues and related lists (the site model)."""
