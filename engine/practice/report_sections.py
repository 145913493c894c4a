"""The practice loop's part of an exported report, as plain ``ReportSection``s.

Same content as the desktop report's practice sections (``report_extras``): the change since the
previous attempt, what a strong answer covers with what this answer covered, and the loop report.
"""

from __future__ import annotations

from engine.clock import mmss
from engine.practice.loop import format_loop_report
from engine.practice.report_extras import ReportExtras, report_extras
from engine.report.appendix import ReportSection
from engine.store.model import Session


def practice_sections(
    session: Session, extras: ReportExtras | None = None
) -> tuple[ReportSection, ...]:
    """The sections to append to ``session``'s exported report."""
    extras = extras or report_extras(session)
    sections: list[ReportSection] = []
    if extras.loop is not None:
        sections.append(
            ReportSection("Interview loop", tuple(format_loop_report(extras.loop).splitlines()))
        )
    comparison = extras.comparison
    if comparison is not None:
        lines = [
            f"Overall {comparison.overall_before} -> {comparison.overall_after} "
            f"(previous attempt: session {comparison.before_session})"
        ]
        for row in comparison.rows:
            before = "-" if row.before is None else row.before
            after = "-" if row.after is None else row.after
            line = f"{row.label}: {before} -> {after}"
            if row.delta and row.delta > 0 and row.new_quotes:
                line += " (new: " + "; ".join(f'"{q}"' for q in row.new_quotes[:2]) + ")"
            if row.still_missing:
                line += " - still missing: " + "; ".join(row.still_missing[:3])
            lines.append(line)
        sections.append(ReportSection("Compared with your previous attempt", tuple(lines)))
    for number, card in sorted(extras.cards.items()):
        lines = [
            f"{card.covered_count} of {card.point_count} points covered"
            + (" (the outline for this kind of question)" if card.generic else "")
        ]
        for section in card.sections:
            for point in section.points:
                mark = "[x]" if point.covered else "[ ]"
                said = ""
                if point.covered and point.quote:
                    at = "" if point.start_s is None else f" at {mmss(point.start_s)}"
                    said = f' - you said "{point.quote}"{at}'
                lines.append(f"{mark} {section.label}: {point.text}{said}")
        sections.append(ReportSection(f"Q{number}: what a strong answer covers", tuple(lines)))
    return tuple(sections)
