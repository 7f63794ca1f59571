-- Short lines (menus, slogans, share bars) counted per outlet: a line that recurs in
-- many of an outlet's articles is furniture, and the cleaning of later articles drops it.
CREATE TABLE outlet_lines (
    outlet   TEXT NOT NULL,
    line_key TEXT NOT NULL,                      -- the line folded for comparison
    line     TEXT NOT NULL,                      -- the line as first seen
    articles INTEGER NOT NULL,                   -- how many of the outlet's articles hold it
    PRIMARY KEY (outlet, line_key)
);

-- How many articles of each outlet were counted into outlet_lines.
CREATE TABLE outlet_articles (
    outlet   TEXT PRIMARY KEY,
    articles INTEGER NOT NULL
);
