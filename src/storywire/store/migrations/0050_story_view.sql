-- Story view (API and web UI): indexes for the story list's two orders, newest and biggest first.
CREATE INDEX IF NOT EXISTS stories_recent ON stories(status, COALESCE(last_seen, first_seen), article_count);
CREATE INDEX IF NOT EXISTS stories_size ON stories(status, article_count);
