"""Stage 3, render: the site model becomes files (HTML pages, feeds, sitemap, assets)."""
