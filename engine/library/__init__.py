"""The library: every stored session as a whole, above the single-session store.

``engine.store`` reads and writes one session folder; this package works across them: the
SQLite index and its summaries (``index``, ``summary``), listing and progress (``listing``),
recovering sessions a crash left in progress (``recovery``), importing a recording made elsewhere
(``importer``) and grading stored answers again (``regrade``). It sits above the report (a
summary is computed from the same report the user reads) and the grading engines.
"""
