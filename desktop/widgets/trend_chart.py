"""A small line chart with axes, a legend and hover tooltips, drawn with QPainter.

Used twice: progress across sessions in the library (x = session order, labelled with dates) and
pacing within one answer on the report (x = seconds, with long pauses shaded). QtCharts would
need the 150 MB PySide6-Addons wheel for what fits in one module here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from desktop.widgets.score_chart import draw_focus_frame, muted

XFormatter = Callable[[float], str]


@dataclass(frozen=True)
class TrendSeries:
    """One line: its legend name, (x, y) points in x order, colour and an optional unit."""

    name: str
    points: tuple[tuple[float, float], ...]
    color: QColor
    unit: str = ""
    dashed: bool = False


@dataclass
class _Layout:
    plot: QRectF = field(default_factory=QRectF)
    x_min: float = 0.0
    x_max: float = 1.0
    y_min: float = 0.0
    y_max: float = 1.0

    def to_px(self, x: float, y: float) -> QPointF:
        span_x = (self.x_max - self.x_min) or 1.0
        span_y = (self.y_max - self.y_min) or 1.0
        px = self.plot.left() + (x - self.x_min) / span_x * self.plot.width()
        py = self.plot.bottom() - (y - self.y_min) / span_y * self.plot.height()
        return QPointF(px, py)


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 x 10^n steps) covering ``low..high``."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(1, target)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = start
    while value <= high + 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


_TIME_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1800, 3600)


def time_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Ticks at clock-friendly steps (5 s, 15 s, 30 s, 1 min, 2 min...) covering ``low..high``."""
    span = max(high - low, 1e-6)
    step = next((s for s in _TIME_STEPS if span / s <= max(1, target)), _TIME_STEPS[-1])
    first = math.ceil(low / step - 1e-9) * step
    count = int((high - first) // step) + 1
    return [float(first + i * step) for i in range(max(0, count))]


def _plain_number(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 1e-6 else f"{value:.3g}"


class TrendChart(QWidget):
    """Lines over a shared x axis; hover a point to read its exact value.

    Signals:
        point_hovered(str): the tooltip text of the point under the mouse.
    """

    point_hovered = Signal(str)

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._series: list[TrendSeries] = []
        self._x_format: XFormatter = _plain_number
        self._y_range: tuple[float, float] | None = None
        self._bands: tuple[tuple[float, float], ...] = ()
        self._band_label = ""
        self._integer_x = False
        self._time_x = False
        self._x_range: tuple[float, float] | None = None
        self._empty_text = "No data yet."
        self._layout = _Layout()
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(title or "Chart")

    def set_data(
        self,
        series: Sequence[TrendSeries],
        *,
        x_format: XFormatter | None = None,
        y_range: tuple[float, float] | None = None,
        bands: Sequence[tuple[float, float]] = (),
        band_label: str = "",
        integer_x: bool = False,
        time_x: bool = False,
        x_range: tuple[float, float] | None = None,
        empty_text: str = "No data yet.",
    ) -> None:
        """Replace what is drawn.

        Args:
            series: the lines; series without points are left out of the legend.
            x_format: turns an x value into axis/tooltip text (dates, mm:ss).
            y_range: fixed y bounds (scores 1-4); otherwise fitted to the data with headroom.
            bands: x spans shaded behind the lines (long pauses).
            band_label: legend entry for the bands.
            integer_x: ticks only at whole x values (session numbers).
            time_x: x is seconds; ticks fall on clock-friendly steps.
            x_range: fixed x bounds (the whole answer), otherwise fitted to the data.
            empty_text: what to say when there is nothing to draw.
        """
        self._series = [s for s in series if s.points]
        self._x_format = x_format or _plain_number
        self._y_range = y_range
        self._bands = tuple(bands)
        self._band_label = band_label
        self._integer_x = integer_x
        self._time_x = time_x
        self._x_range = x_range
        self._empty_text = empty_text
        summary = []
        for s in self._series:
            last = s.points[-1][1]
            summary.append(f"{s.name}: {len(s.points)} points, latest {last:.1f}{s.unit}")
        self.setAccessibleDescription("; ".join(summary) or empty_text)
        self.update()

    @property
    def series(self) -> list[TrendSeries]:
        return list(self._series)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(480, 220)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(260, 160)

    # -- geometry -------------------------------------------------------------------------------
    def _bounds(self) -> tuple[float, float, float, float]:
        xs = [x for s in self._series for x, _ in s.points] + [
            b for band in self._bands for b in band
        ]
        ys = [y for s in self._series for _, y in s.points]
        x_min, x_max = (min(xs), max(xs)) if xs else (0.0, 1.0)
        if self._x_range is not None:
            x_min, x_max = min(x_min, self._x_range[0]), max(x_max, self._x_range[1])
        if x_max - x_min < 1e-9:
            x_min, x_max = x_min - 1.0, x_max + 1.0
        if self._y_range is not None:
            y_min, y_max = self._y_range
        else:
            y_min = min(0.0, min(ys, default=0.0))
            y_max = max(ys, default=1.0)
            y_max = y_max * 1.15 if y_max > 0 else 1.0
        return x_min, x_max, y_min, y_max

    def _legend_rows(self, width: float) -> list[list[tuple[str, QColor, bool]]]:
        fm = self.fontMetrics()
        items = [(s.name, s.color, s.dashed) for s in self._series]
        if self._bands and self._band_label:
            items.append((self._band_label, QColor(), False))
        rows: list[list[tuple[str, QColor, bool]]] = [[]]
        used = 0.0
        for item in items:
            w = fm.horizontalAdvance(item[0]) + 34
            if rows[-1] and used + w > width:
                rows.append([])
                used = 0.0
            rows[-1].append(item)
            used += w
        return [r for r in rows if r]

    # -- painting -------------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = painter.fontMetrics()
        line_h = fm.height()
        top = 4.0
        if self._title:
            bold = painter.font()
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(text)
            painter.drawText(
                QRectF(0, top, self.width(), line_h), Qt.AlignmentFlag.AlignLeft, self._title
            )
            painter.setFont(self.font())
            top += line_h + 4
        legend_rows = self._legend_rows(self.width() - 8)
        self._draw_legend(painter, legend_rows, top)
        top += len(legend_rows) * (line_h + 4) + 6

        if not self._series:
            painter.setPen(muted(text, pal, 0.35))
            painter.drawText(
                QRectF(0, top, self.width(), self.height() - top),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self._empty_text,
            )
            painter.end()
            return

        x_min, x_max, y_min, y_max = self._bounds()
        y_ticks = nice_ticks(y_min, y_max, 4)
        if self._y_range is None and len(y_ticks) >= 2 and y_ticks[-1] < y_max - 1e-9:
            y_ticks.append(round(y_ticks[-1] + (y_ticks[1] - y_ticks[0]), 10))
            y_max = y_ticks[-1]  # end the axis on a labelled tick above the highest point
        left = max(fm.horizontalAdvance(_plain_number(t)) for t in y_ticks) + 10
        plot = QRectF(left, top, self.width() - left - 14, self.height() - top - line_h - 10)
        if plot.height() < 20 or plot.width() < 40:
            painter.end()
            return
        pad = (x_max - x_min) * 0.03 if self._integer_x else 0.0
        self._layout = _Layout(plot, x_min - pad, x_max + pad, y_min, y_max)

        grid = muted(text, pal, 0.82)
        painter.setPen(QPen(grid, 1))
        for tick in y_ticks:
            if tick < y_min - 1e-9 or tick > y_max + 1e-9:
                continue
            y = self._layout.to_px(x_min, tick).y()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(muted(text, pal, 0.3))
        for tick in y_ticks:
            if tick < y_min - 1e-9 or tick > y_max + 1e-9:
                continue
            y = self._layout.to_px(x_min, tick).y()
            painter.drawText(
                QRectF(0, y - line_h / 2, left - 6, line_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _plain_number(tick),
            )
        self._draw_x_axis(painter, x_min, x_max, plot, line_h)

        band_color = muted(pal.color(QPalette.ColorRole.Highlight), pal, 0.78)
        for start, end in self._bands:
            a = self._layout.to_px(start, y_max)
            b = self._layout.to_px(end, y_min)
            painter.fillRect(QRectF(a, b), band_color)

        painter.setPen(QPen(muted(text, pal, 0.5), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

        for series in self._series:
            pen = QPen(series.color, 2)
            if series.dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            # Separate segments, not one path: stroking a long zigzag path antialiased takes
            # hundreds of milliseconds (1,000 sessions), segments take a few.
            pixels = [self._layout.to_px(x, y) for x, y in series.points]
            segments = [QLineF(a, b) for a, b in zip(pixels, pixels[1:], strict=False)]
            if segments:
                painter.drawLines(segments)
            painter.setBrush(series.color)
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Window), 1))
            if len(series.points) <= 60:
                for x, y in series.points:
                    painter.drawEllipse(self._layout.to_px(x, y), 3.5, 3.5)
        draw_focus_frame(painter, self)
        painter.end()

    def _draw_legend(self, painter: QPainter, rows: list, top: float) -> None:
        fm = painter.fontMetrics()
        pal = self.palette()
        y = top
        for row in rows:
            x = 4.0
            for name, color, dashed in row:
                mid = y + fm.height() / 2
                if color.isValid():
                    pen = QPen(color, 3)
                    if dashed:
                        pen.setStyle(Qt.PenStyle.DashLine)
                    painter.setPen(pen)
                    painter.drawLine(QPointF(x, mid), QPointF(x + 20, mid))
                else:
                    band = muted(pal.color(QPalette.ColorRole.Highlight), pal, 0.78)
                    painter.fillRect(QRectF(x, mid - 6, 20, 12), band)
                painter.setPen(pal.color(QPalette.ColorRole.WindowText))
                painter.drawText(QPointF(x + 26, y + fm.ascent()), name)
                x += fm.horizontalAdvance(name) + 34
            y += fm.height() + 4

    def _draw_x_axis(
        self, painter: QPainter, x_min: float, x_max: float, plot: QRectF, line_h: int
    ) -> None:
        fm = painter.fontMetrics()
        if self._integer_x:
            count = int(round(x_max - x_min)) + 1
            widest = max(fm.horizontalAdvance(self._x_format(x_min + i)) for i in range(count))
            fit = max(1, int(plot.width() // (widest + 16)))
            step = max(1, math.ceil(count / fit))
            ticks = [x_min + i for i in range(0, count, step)]
        else:
            widest = fm.horizontalAdvance(self._x_format(x_max)) + 16
            target = max(2, min(8, int(plot.width() // widest)))
            make = time_ticks if self._time_x else nice_ticks
            ticks = make(x_min, x_max, target)
        painter.setPen(
            muted(self.palette().color(QPalette.ColorRole.WindowText), self.palette(), 0.3)
        )
        last_right = -1e9
        last_label = None
        for tick in ticks:
            if tick < x_min - 1e-9 or tick > x_max + 1e-9:
                continue
            label = self._x_format(tick)
            if label == last_label:
                continue  # rounding made two ticks read the same; one is enough
            last_label = label
            w = fm.horizontalAdvance(label)
            x = self._layout.to_px(tick, 0).x()
            rect = QRectF(x - w / 2, plot.bottom() + 4, w, line_h)
            if rect.left() < 0:
                rect.moveLeft(0)
            if rect.right() > self.width():
                rect.moveRight(self.width())
            if rect.left() < last_right + 6:
                continue
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            last_right = rect.right()

    # -- hover ----------------------------------------------------------------------------------
    def point_near(
        self, pos: QPointF, radius: float = 12.0
    ) -> tuple[TrendSeries, float, float] | None:
        """The data point drawn closest to ``pos`` within ``radius`` pixels, if any."""
        best: tuple[float, TrendSeries, float, float] | None = None
        for series in self._series:
            for x, y in series.points:
                p = self._layout.to_px(x, y)
                dist = math.hypot(p.x() - pos.x(), p.y() - pos.y())
                if dist <= radius and (best is None or dist < best[0]):
                    best = (dist, series, x, y)
        return None if best is None else best[1:]

    def point_position(self, x: float, y: float) -> QPointF:
        """Where the data point (x, y) is drawn, in widget pixels (as of the last paint)."""
        return self._layout.to_px(x, y)

    def tooltip_text(self, series: TrendSeries, x: float, y: float) -> str:
        """What hovering a point says: the series, its value with unit, and where on x."""
        return f"{series.name}: {_plain_number(y)}{series.unit}\n{self._x_format(x)}"

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        hit = self.point_near(event.position())
        if hit is None:
            QToolTip.hideText()
        else:
            text = self.tooltip_text(*hit)
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
            self.point_hovered.emit(text)
        super().mouseMoveEvent(event)
