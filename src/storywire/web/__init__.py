"""The web UI: Jinja2 pages, SVG charts and bundled static files, served by :mod:`storywire.api.app`."""
