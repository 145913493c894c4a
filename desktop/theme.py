"""Colours and fonts that follow the system light/dark palette.

The app never hard-codes a colour scheme: every widget paints with palette roles, so a dark
desktop gets a dark app. The single exception is the pacing cue of the countdown (calm, amber,
red), whose hues carry meaning; this module picks a light or a dark variant of each so the text
keeps at least WCAG AA contrast (4.5:1) against the window background in both schemes.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget


class Pace(str, Enum):
    """Where the candidate is against the answer's time limit."""

    CALM = "calm"
    AMBER = "amber"
    RED = "red"


# Hue variants chosen for contrast: the dark text variants sit on light backgrounds, the light
# variants on dark ones. ``contrast_ratio`` checks them against the actual palette at run time.
_PACE_ON_LIGHT = {Pace.AMBER: "#8a4b00", Pace.RED: "#b00020"}
_PACE_ON_DARK = {Pace.AMBER: "#ffbf47", Pace.RED: "#ff8a8a"}

# Banner levels map to palette-derived tints plus a marker hue for the left edge.
_LEVEL_HUES = {"info": "#2f6fdf", "warning": "#c77700", "error": "#c62828", "success": "#2e7d32"}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark colour scheme)."""
    palette = palette or QApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def _relative_luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast_ratio(foreground: QColor, background: QColor) -> float:
    """WCAG contrast ratio between two colours (1.0 .. 21.0)."""
    lighter, darker = sorted(
        (_relative_luminance(foreground), _relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def pace_color(pace: Pace, palette: QPalette | None = None) -> QColor:
    """The text colour of the countdown for ``pace`` on the current background.

    Calm uses the palette's own text colour; amber and red use the variant for the scheme.
    """
    palette = palette or QApplication.palette()
    if pace is Pace.CALM:
        return palette.color(QPalette.ColorRole.WindowText)
    variants = _PACE_ON_DARK if is_dark(palette) else _PACE_ON_LIGHT
    return QColor(variants[pace])


def level_hue(level: str) -> QColor:
    """The marker colour of a banner level (info, warning, error, success)."""
    return QColor(_LEVEL_HUES.get(level, _LEVEL_HUES["info"]))


def banner_background(level: str, palette: QPalette | None = None) -> QColor:
    """A faint tint of the level hue over the window colour, readable with the palette text."""
    palette = palette or QApplication.palette()
    base = palette.color(QPalette.ColorRole.Window)
    hue = level_hue(level)
    mix = 0.22 if is_dark(palette) else 0.12
    return QColor(
        round(base.red() * (1 - mix) + hue.red() * mix),
        round(base.green() * (1 - mix) + hue.green() * mix),
        round(base.blue() * (1 - mix) + hue.blue() * mix),
    )


def muted_text_color(palette: QPalette | None = None) -> QColor:
    """Greyed text (tentative transcript, hints) that still reads on the background.

    A blend of the text and base colours rather than the "disabled" role, which many styles draw
    so faint (under 2:1) that a tentative word could not be read at all.
    """
    palette = palette or QApplication.palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    mix = 0.62
    return QColor(
        round(text.red() * mix + base.red() * (1 - mix)),
        round(text.green() * mix + base.green() * (1 - mix)),
        round(text.blue() * mix + base.blue() * (1 - mix)),
    )


def scaled_font(widget: QWidget, factor: float, bold: bool = False) -> QFont:
    """The widget's font scaled by ``factor``, so large text follows the user's font size."""
    font = QFont(widget.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
