-- Where a figure was read: 'text' (offsets in clean_text) or 'title' (offsets in the title).
ALTER TABLE figures ADD COLUMN part TEXT NOT NULL DEFAULT 'text';
