"""Storage: the content-addressed file store and the SQLite metadata database."""
