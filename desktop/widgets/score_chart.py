"""A horizontal bar chart of rubric scores, and the dimension colours every chart shares.

Bars beat a radar here: the eye compares lengths far better than areas, labels stay horizontal and
readable at any width, and a dimension that does not apply (``diagnosis`` outside diagnose
questions) can simply say so on its own row instead of leaving a hole in a polygon.

Colours come from a fixed mid-luminance set that stays legible on a light and a dark window; text
and grid lines use palette roles, so the chart follows the system theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from engine.rubric import DIMENSION_BY_ID, SCORE_LABELS, SCORE_MAX, dimension_label

# Mid-luminance hues: readable against white and against a near-black window alike.
_DIMENSION_HEX = {
    "problem_framing": "#4e79a7",
    "metrics": "#f28e2b",
    "user_signals": "#59a14f",
    "system_design": "#b07aa1",
    "tradeoffs": "#e15759",
    "experimentation": "#76b7b2",
    "diagnosis": "#d4a72c",
    "communication": "#9c755f",
}
_FALLBACK_HEX = "#8c8c8c"


def dimension_color(dimension_id: str) -> QColor:
    """The colour of a rubric dimension in every chart, legend and timeline of the app."""
    return QColor(_DIMENSION_HEX.get(dimension_id, _FALLBACK_HEX))


def draw_focus_frame(painter: QPainter, widget: QWidget) -> None:
    """Outline a keyboard-focused chart in the palette's highlight colour.

    Charts take focus so their tooltips and values are reachable without a mouse.
    """
    if not widget.hasFocus():
        return
    painter.setPen(QPen(widget.palette().color(QPalette.ColorRole.Highlight), 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(widget.rect()).adjusted(1, 1, -1, -1))


def muted(color: QColor, palette: QPalette, amount: float = 0.55) -> QColor:
    """Blend a colour towards the window background, for tracks and unfocused spans."""
    base = palette.color(QPalette.ColorRole.Window)
    mix = QColor()
    mix.setRgbF(
        color.redF() * (1 - amount) + base.redF() * amount,
        color.greenF() * (1 - amount) + base.greenF() * amount,
        color.blueF() * (1 - amount) + base.blueF() * amount,
    )
    return mix


def score_text(score: float | None) -> str:
    """Say "3 solid" for whole rubric scores, "2.5 weak" for averages, "n/a" when not scored."""
    if score is None:
        return "n/a"
    number = f"{score:.0f}" if abs(score - round(score)) < 1e-9 else f"{score:.1f}"
    return f"{number} {SCORE_LABELS.get(int(score), '')}".rstrip()


@dataclass(frozen=True)
class ScoreBar:
    """One row of the chart: a dimension and its 1-4 score (None when not applicable)."""

    dimension_id: str
    score: float | None


class ScoreChart(QWidget):
    """Overall score plus one bar per rubric dimension, 0 to 4, with gridlines at each level."""

    _ROW_HEIGHT = 26
    _HEADER_HEIGHT = 34

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[ScoreBar] = []
        self._overall: float | None = None
        self._row_rects: list[tuple[QRectF, ScoreBar]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Scores per rubric dimension")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMouseTracking(True)

    # -- data -----------------------------------------------------------------------------------
    def set_scores(self, bars: Sequence[ScoreBar], overall: float | None) -> None:
        """Show these rows; the accessible description repeats them for screen readers."""
        self._bars = list(bars)
        self._overall = overall
        parts = [f"Overall {overall:.1f} of 4" if overall is not None else "Not graded"]
        for bar in self._bars:
            value = "not applicable" if bar.score is None else f"{bar.score:.1f}"
            parts.append(f"{dimension_label(bar.dimension_id)}: {value}")
        self.setAccessibleDescription("; ".join(parts))
        self.updateGeometry()
        self.update()

    @property
    def bars(self) -> list[ScoreBar]:
        return list(self._bars)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        rows = max(1, len(self._bars))
        return QSize(520, self._HEADER_HEIGHT + rows * self._ROW_HEIGHT + 28)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(320, self.sizeHint().height())

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        grid = muted(text, pal, 0.8)
        fm = painter.fontMetrics()

        header_font = QFont(self.font())
        header_font.setPointSizeF(self.font().pointSizeF() * 1.25)
        header_font.setBold(True)
        painter.setFont(header_font)
        painter.setPen(text)
        overall = "Not graded yet" if self._overall is None else f"Overall {self._overall:.1f} / 4"
        painter.drawText(
            QRectF(0, 0, self.width(), self._HEADER_HEIGHT - 6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            overall,
        )
        painter.setFont(self.font())

        label_w = (
            max(
                [fm.horizontalAdvance(dimension_label(b.dimension_id)) for b in self._bars]
                + [fm.horizontalAdvance("Communication")]
            )
            + 12
        )
        value_w = max(fm.horizontalAdvance(f"4.0 {name}") for name in SCORE_LABELS.values()) + 12
        left = label_w
        right = max(left + 60, self.width() - value_w)
        top = self._HEADER_HEIGHT
        bottom = top + len(self._bars) * self._ROW_HEIGHT

        # Gridlines at each score level, labelled at the bottom.
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DashLine))
        for level in range(0, SCORE_MAX + 1):
            x = left + (right - left) * level / SCORE_MAX
            painter.drawLine(QPointF(x, top - 2), QPointF(x, bottom))
        painter.setPen(muted(text, pal, 0.35))
        for level in range(1, SCORE_MAX + 1):
            x = left + (right - left) * level / SCORE_MAX
            label = f"{level} {SCORE_LABELS[level]}"
            w = fm.horizontalAdvance(label)
            painter.drawText(
                QRectF(x - w - 2, bottom + 4, w + 4, fm.height()),
                Qt.AlignmentFlag.AlignRight,
                label,
            )

        self._row_rects = []
        for row, bar in enumerate(self._bars):
            y = top + row * self._ROW_HEIGHT
            row_rect = QRectF(0, y, self.width(), self._ROW_HEIGHT)
            self._row_rects.append((row_rect, bar))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, label_w - 8, self._ROW_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                dimension_label(bar.dimension_id),
            )
            color = dimension_color(bar.dimension_id)
            track = QRectF(left, y + 5, right - left, self._ROW_HEIGHT - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(muted(color, pal, 0.85))
            painter.drawRoundedRect(track, 3, 3)
            if bar.score is None:
                painter.setPen(muted(text, pal, 0.4))
                painter.drawText(
                    track.adjusted(6, 0, 0, 0),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    "not applicable",
                )
                continue
            fill = QRectF(track)
            fill.setWidth(max(4.0, track.width() * min(bar.score, SCORE_MAX) / SCORE_MAX))
            painter.setBrush(color)
            painter.drawRoundedRect(fill, 3, 3)
            painter.setPen(text)
            value = score_text(bar.score)
            painter.drawText(
                QRectF(right + 6, y, value_w, self._ROW_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                value,
            )
        draw_focus_frame(painter, self)
        painter.end()

    def event(self, event: object) -> bool:  # noqa: D102 - Qt API
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            for rect, bar in self._row_rects:
                if rect.contains(QPointF(event.pos())):
                    dim = DIMENSION_BY_ID.get(bar.dimension_id)
                    hint = f"<b>{dimension_label(bar.dimension_id)}</b>"
                    if dim:
                        hint += f"<br>Strong: {dim.strong}<br>Weak: {dim.weak}"
                    QToolTip.showText(event.globalPos(), hint, self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)
