"""The library's "By question" view: every attempt at one question together, with its trend.

A row per question (how many attempts, the scores in order, the change since the first try);
expanding it lists the attempts, and selecting a question draws its scores over time. Opening
an attempt opens that session's report, like the session list does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets.trend_chart import TrendChart, TrendSeries

COLUMNS = ("Question", "Attempts", "Scores", "Change")
SESSION_ROLE = Qt.ItemDataRole.UserRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1


class QuestionAttemptsView(QWidget):
    """Attempts grouped per question (``engine.practice.attempts.QuestionAttempts``).

    Signals:
        open_report(str): the user opened one attempt (its session id).
    """

    open_report = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[Any] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel("", self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(splitter)
        self.tree.setAccessibleName("Attempts of each question")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._open(item))
        self.tree.itemActivated.connect(lambda item, _col: self._open(item))
        self.tree.currentItemChanged.connect(lambda item, _old: self._show_trend(item))
        self.chart = TrendChart("Score of this question, attempt by attempt", splitter)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def set_groups(self, groups: Sequence[Any], skipped: int = 0) -> None:
        """Show the groups (most-tried questions first), replacing what was shown."""
        self.groups = list(groups)
        self.tree.clear()
        for number, group in enumerate(self.groups):
            change = "" if len(group.attempts) < 2 else f"{group.change:+.1f}"
            item = QTreeWidgetItem(
                [group.text, str(len(group.attempts)), group.trend_text(), change]
            )
            item.setData(0, GROUP_ROLE, number)
            item.setToolTip(0, group.text)
            for attempt in reversed(group.attempts):
                child = QTreeWidgetItem(
                    [
                        f"{attempt.day.isoformat()} · {attempt.session_id}",
                        "",
                        f"{attempt.overall:.1f}",
                        "",
                    ]
                )
                child.setData(0, SESSION_ROLE, attempt.session_id)
                child.setData(0, GROUP_ROLE, number)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        if not self.groups:
            self.status_label.setText("No graded answers yet: attempts of each question show here.")
        else:
            retried = sum(1 for g in self.groups if len(g.attempts) > 1)
            text = f"{len(self.groups)} question(s), {retried} answered more than once."
            if skipped:
                text += f" {skipped} session(s) could not be used (unreadable or not graded)."
            self.status_label.setText(text)
        if self.groups:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        else:
            self._show_trend(None)

    def _group_of(self, item: QTreeWidgetItem | None) -> Any:
        if item is None:
            return None
        number = item.data(0, GROUP_ROLE)
        return self.groups[number] if number is not None and number < len(self.groups) else None

    def _show_trend(self, item: QTreeWidgetItem | None) -> None:
        group = self._group_of(item)
        points = (
            ()
            if group is None
            else tuple((float(i), score) for i, score in enumerate(group.scores))
        )
        self.chart.set_data(
            [TrendSeries("overall", points, QColor("#6a5acd"))],
            y_range=(1.0, 4.0),
            x_format=lambda x: f"#{int(round(x)) + 1}",
            integer_x=True,
            empty_text="Select a question to see its scores attempt by attempt.",
        )

    def _open(self, item: QTreeWidgetItem) -> None:
        session_id = item.data(0, SESSION_ROLE)
        if session_id:
            self.open_report.emit(str(session_id))
        else:
            item.setExpanded(not item.isExpanded())
