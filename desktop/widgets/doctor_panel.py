"""The first-run checks (``engine.doctor``) inside the Setup screen, shown only when needed.

The checks use the real microphone, speakers, voice, Whisper model, data dir and LLM endpoint,
which takes a few seconds, so they run in a background worker and report one by one. While all
is well the panel stays hidden (a working setup needs no report); as soon as a check warns or
fails the panel appears with each problem and its fix, and "Check again" reruns them after the
user plugged in a headset or freed some space.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.workers import Worker, run_in_background
from engine.doctor import FAIL, OK, Check, DoctorReport, iter_checks


class DoctorPanel(QGroupBox):
    """Runs the checks in the background and lists the ones that are not OK.

    Signals:
        checked(DoctorReport): every check has reported.
    """

    checked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Before you start", parent)
        self.setAccessibleName("Setup checks")
        self._checks: list[Check] = []
        self._worker: Worker | None = None
        self._devices: dict[str, Any] = {}
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.problem_list = QLabel("")
        self.problem_list.setWordWrap(True)
        self.problem_list.setAccessibleName("Problems found")
        self.again_button = QPushButton("Check again")
        self.again_button.setAccessibleName("Run the setup checks again")
        self.again_button.clicked.connect(lambda: self.run(**self._devices))
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.problem_list)
        self.hide()

    @property
    def running(self) -> bool:
        return self._worker is not None

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(self._checks)

    def run(
        self,
        input_device: int | str | None = None,
        output_device: int | str | None = None,
        model: str | None = None,
    ) -> None:
        """Start the checks (ignored while they already run)."""
        if self._worker is not None:
            return
        self._devices = {"input_device": input_device, "output_device": output_device}
        self._devices["model"] = model
        self._checks = []
        self.again_button.setEnabled(False)
        if self.isVisible():
            self.summary.setText("Checking again…")
        self._worker = run_in_background(
            iter_checks,
            **self._devices,
            on_yielded=self._on_check,
            on_finished=self._on_done,
            on_failed=self._on_failed,
        )

    def _on_check(self, check: Check) -> None:
        self._checks.append(check)
        if check.status != OK:
            self._show_problems()

    def _on_done(self, _result: Any) -> None:
        self._worker = None
        self.again_button.setEnabled(True)
        report = DoctorReport(tuple(self._checks))
        if report.problems:
            self._show_problems()
            self.summary.setText(_summary(report))
        else:
            self.hide()
        self.checked.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        # iter_checks turns every failure into a Check; reaching here is a bug worth showing.
        self._worker = None
        self.again_button.setEnabled(True)
        self._checks.append(Check("doctor", FAIL, f"the checks stopped: {exc}", ""))
        self._show_problems()
        self.summary.setText("The setup checks could not finish.")
        self.checked.emit(DoctorReport(tuple(self._checks)))

    def _show_problems(self) -> None:
        lines = []
        for check in self._checks:
            if check.status == OK:
                continue
            fix = f"<br>&nbsp;&nbsp;→ {_escape(check.fix)}" if check.fix else ""
            lines.append(f"<b>{check.status.upper()}</b> {_escape(check.name)}: ")
            lines[-1] += f"{_escape(check.detail)}{fix}"
        self.problem_list.setText("<br><br>".join(lines))
        if self._worker is not None:
            self.summary.setText("Checking your setup…")
        self.show()


def _summary(report: DoctorReport) -> str:
    failed = sum(check.status == FAIL for check in report.checks)
    if failed:
        return f"{failed} thing(s) need fixing before an interview can work well:"
    return "Everything needed works, with these warnings:"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
