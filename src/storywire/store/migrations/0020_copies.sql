-- Copies: the persisted MinHash LSH band index, so that each new article is checked
-- against everything stored without rebuilding anything. One row per (band key,
-- article); a band key hashes one band of the article's MinHash signature together
-- with the band's number (see storywire/copies/index.py).
CREATE TABLE copy_bands (
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL
);
CREATE INDEX copy_bands_key ON copy_bands(key);
CREATE INDEX copy_bands_article ON copy_bands(article_id);
