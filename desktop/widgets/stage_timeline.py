"""Where the time of one answer went: coloured stage spans against the time limit.

The most common way candidates lose is spending most of the time framing and rushing metrics and
evaluation, so this draws every stage (one colour per rubric dimension) on one time axis, marks
the limit with a line, and shades whatever ran past it. A legend sums the seconds per stage.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.widgets.score_chart import dimension_color, draw_focus_frame, muted
from desktop.widgets.trend_chart import time_ticks
from engine.clock import mmss
from engine.grading.result import Stage
from engine.rubric import dimension_label

_OVERTIME = QColor("#d62728")


class StageTimeline(QWidget):
    """One horizontal track of stages, the limit marked, overtime hatched in red."""

    _TRACK_HEIGHT = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stages: tuple[Stage, ...] = ()
        self._duration_s = 0.0
        self._limit_s: float | None = None
        self._span_rects: list[tuple[QRectF, Stage]] = []
        self._laid_out_lines = 1
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Time spent per stage against the time limit")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMouseTracking(True)

    def set_timeline(
        self, stages: Sequence[Stage], duration_s: float, time_limit_s: float | None
    ) -> None:
        """Show these stages over an answer of ``duration_s`` seconds answered against a limit."""
        self._stages = tuple(sorted(stages, key=lambda s: s.start_s))
        self._duration_s = max(duration_s, max((s.end_s for s in stages), default=0.0))
        self._limit_s = time_limit_s
        self.setAccessibleDescription(self.summary())
        self.updateGeometry()
        self.update()

    def totals(self) -> list[tuple[str, float]]:
        """Seconds per dimension, in the order the stages first appear."""
        totals: dict[str, float] = {}
        for stage in self._stages:
            totals[stage.dimension] = totals.get(stage.dimension, 0.0) + max(
                0.0, stage.end_s - stage.start_s
            )
        return list(totals.items())

    def summary(self) -> str:
        """A sentence with the same facts as the picture, for screen readers and tooltips."""
        parts = [f"{dimension_label(d)} {mmss(s)}" for d, s in self.totals()]
        head = f"Answer {mmss(self._duration_s)}"
        if self._limit_s:
            head += f" against a limit of {mmss(self._limit_s)}"
            over = self._duration_s - self._limit_s
            if over > 0.5:
                head += f", {mmss(over)} over"
        return head + (": " + ", ".join(parts) if parts else "")

    def _legend_lines(self) -> int:
        fm = self.fontMetrics()
        width = max(200, self.width() - 8)
        lines, used = 1, 0
        for dim, secs in self.totals():
            w = fm.horizontalAdvance(f"{dimension_label(dim)} {mmss(secs)}") + 30
            if used and used + w > width:
                lines += 1
                used = 0
            used += w
        return lines

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        line_h = self.fontMetrics().height()
        self._laid_out_lines = self._legend_lines()  # what the layout was told (resizeEvent)
        return QSize(
            520, line_h + 8 + self._TRACK_HEIGHT + line_h + 10 + self._laid_out_lines * (line_h + 6)
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(300, self.sizeHint().height())

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        # The legend may wrap differently at the new width; only then is the height different,
        # and asking for a new layout on every resize made the page lay itself out again.
        lines = self._legend_lines()
        if lines != self._laid_out_lines:
            self._laid_out_lines = lines
            self.updateGeometry()
        super().resizeEvent(event)

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = painter.fontMetrics()
        line_h = fm.height()
        span_end = max(self._duration_s, self._limit_s or 0.0, 1.0) * 1.04
        left, right = 4.0, float(self.width() - 8)
        top = line_h + 8

        def to_x(t: float) -> float:
            return left + (right - left) * t / span_end

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(muted(text, pal, 0.88))
        painter.drawRoundedRect(
            QRectF(left, top, to_x(self._duration_s) - left, self._TRACK_HEIGHT), 3, 3
        )
        self._span_rects = []
        for stage in self._stages:
            rect = QRectF(
                to_x(stage.start_s),
                top,
                max(2.0, to_x(stage.end_s) - to_x(stage.start_s)),
                self._TRACK_HEIGHT,
            )
            painter.setBrush(dimension_color(stage.dimension))
            painter.drawRect(rect)
            self._span_rects.append((rect, stage))
            label = dimension_label(stage.dimension)
            if fm.horizontalAdvance(label) + 8 < rect.width():
                painter.setPen(QColor("#ffffff"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
                painter.setPen(Qt.PenStyle.NoPen)

        if self._limit_s:
            x_limit = to_x(self._limit_s)
            if self._duration_s > self._limit_s:
                over = QRectF(x_limit, top, to_x(self._duration_s) - x_limit, self._TRACK_HEIGHT)
                painter.fillRect(over, QBrush(_OVERTIME, Qt.BrushStyle.BDiagPattern))
                painter.setPen(QPen(_OVERTIME, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(over)
            painter.setPen(QPen(_OVERTIME if self._duration_s > self._limit_s else text, 2))
            painter.drawLine(
                QPointF(x_limit, top - 4), QPointF(x_limit, top + self._TRACK_HEIGHT + 4)
            )
            caption = f"limit {mmss(self._limit_s)}"
            if self._duration_s > self._limit_s + 0.5:
                caption += f"  (+{mmss(self._duration_s - self._limit_s)} over)"
            w = fm.horizontalAdvance(caption)
            x = min(max(0.0, x_limit - w / 2), self.width() - w - 2)
            painter.drawText(QRectF(x, 2, w + 2, line_h), Qt.AlignmentFlag.AlignLeft, caption)

        # Time axis.
        painter.setPen(muted(text, pal, 0.3))
        axis_y = top + self._TRACK_HEIGHT + 4
        for tick in time_ticks(0, span_end, max(2, int((right - left) // 70))):
            if tick > span_end:
                break
            label = mmss(tick)
            w = fm.horizontalAdvance(label)
            x = min(max(0.0, to_x(tick) - w / 2), self.width() - w)
            painter.drawText(QRectF(x, axis_y, w + 2, line_h), Qt.AlignmentFlag.AlignLeft, label)

        # Legend with seconds per stage.
        y = axis_y + line_h + 6
        x = 4.0
        for dim, secs in self.totals():
            label = f"{dimension_label(dim)} {mmss(secs)}"
            w = fm.horizontalAdvance(label) + 30
            if x > 4.0 and x + w > self.width() - 4:
                x = 4.0
                y += line_h + 6
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(dimension_color(dim))
            painter.drawRoundedRect(QRectF(x, y + 2, 14, line_h - 4), 2, 2)
            painter.setPen(text)
            painter.drawText(QPointF(x + 20, y + fm.ascent()), label)
            x += w
        if not self._stages:
            painter.setPen(muted(text, pal, 0.35))
            painter.drawText(
                QPointF(4, y + fm.ascent()), "No stages were recognised in this answer."
            )
        draw_focus_frame(painter, self)
        painter.end()

    def event(self, event: object) -> bool:  # noqa: D102 - Qt API
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            for rect, stage in self._span_rects:
                if rect.contains(QPointF(event.pos())):
                    QToolTip.showText(
                        event.globalPos(),
                        f"{dimension_label(stage.dimension)}: {mmss(stage.start_s)}–"
                        f"{mmss(stage.end_s)} ({stage.end_s - stage.start_s:.0f} s)",
                        self,
                    )
                    return True
            QToolTip.showText(event.globalPos(), self.summary(), self)
            return True
        return super().event(event)
