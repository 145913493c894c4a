"""Sessions on disk: one folder each, atomic writes, a rebuildable SQLite index, crash recovery."""
