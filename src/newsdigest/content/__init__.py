"""Stage 1, load: content files on disk become typed articles, pages and issue intros."""
