"""The timed rubric report: one structure (``build_report``) rendered as HTML, Markdown or PDF.

The names below are importable from ``engine.report`` directly; each is loaded on first use so
that importing the package stays cheap (fpdf2 is only imported when a PDF is written).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_report": "engine.report.builder",
    "compare_gradings": "engine.report.compare",
    "SessionReport": "engine.report.builder",
    "render_html": "engine.report.html",
    "render_markdown": "engine.report.markdown",
    "write_pdf": "engine.report.pdf",
    "export_report": "engine.report.export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine.report' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
