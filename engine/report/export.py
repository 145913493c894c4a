"""Write a session's report in the format the user picked (html, md or pdf)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine.errors import ConfigError, SessionError
from engine.report.appendix import ReportSection
from engine.store.atomic import atomic_write_text
from engine.store.model import Session

FORMATS = ("html", "md", "pdf")


def export_report(
    session: Session, fmt: str, path: str | Path, appendix: Sequence[ReportSection] = ()
) -> Path:
    """Render and write the report; the file is replaced atomically, never left half-written.

    ``appendix`` sections (the practice loop's, from ``engine.practice.report_sections``) end it.

    Raises:
        ConfigError: ``fmt`` is not one of ``FORMATS``.
        SessionError: the target folder does not exist; StorageFullError when it is full or
            read-only.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise SessionError(f"cannot write {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise SessionError(f"cannot write the report to {path}: it is a folder; give a file name")
    if fmt == "pdf":
        from engine.report.pdf import write_pdf

        return write_pdf(session, path, appendix)
    if fmt == "html":
        from engine.report.html import render_html

        return atomic_write_text(path, render_html(session, appendix))
    from engine.report.markdown import render_markdown

    return atomic_write_text(path, render_markdown(session, appendix))
