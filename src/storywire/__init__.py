"""storywire: find copies, stories, actors and claims in news articles."""

__version__ = "0.1.0"
