"""The setup screen: what to practise, how long, how hard, with which voice, mic and model.

A view: it shows the choices and reports edits. What the choices mean (which questions, whether
they can start, the summary line, the plan itself) is ``desktop.controllers.setup_plan``; the
engine reads behind its lists (questions, microphones, Whisper models, the LLM setting) come in
as ``SetupServices`` and run in background workers, so the screen appears at once and fills in a
moment later. The last choices are restored from ``desktop.settings`` and saved when an
interview starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import settings as app_settings
from desktop.controllers import setup_plan
from desktop.controllers.interview_jobs import InterviewPlan
from desktop.controllers.setup_plan import SetupServices
from desktop.theme import scaled_font
from desktop.widgets.doctor_panel import DoctorPanel
from desktop.widgets.level_meter import MicCheck
from desktop.widgets.practice_panel import PracticePanel
from desktop.workers import run_in_background
from engine.rubric import CATEGORIES

DIFFICULTIES = (("any", "Any difficulty"), ("easy", "Easy"), ("medium", "Medium"), ("hard", "Hard"))
OTHER_MODEL = "__other__"
CHOOSE_FOLDER = "__folder__"
PREVIEW_TEXT = (
    "Hello, I will be your interviewer today. Take a moment to think, then walk me through "
    "your approach."
)


def _load_voices() -> list[Any]:
    from engine.speech.voice import list_voices

    return list_voices()


class SetupScreen(QWidget):
    """Choose the interview, then start it.

    Signals:
        start_requested(object): an ``InterviewPlan`` the candidate asked to start.
        model_changed(str): the Whisper model choice changed (preload it).
        error(str): something could not be loaded; the main window shows it.
    """

    start_requested = Signal(object)
    model_changed = Signal(str)
    error = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, services: SetupServices | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services or SetupServices()
        self._bank: Any = None
        self._choices = app_settings.load_setup_choices()
        self._prefs = app_settings.load_preferences()
        self._loaded_once = False
        self._build()
        self._restore(self._choices)

    # -- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("Set up a mock interview")
        title.setFont(scaled_font(self, 1.6, bold=True))
        subtitle = QLabel(
            "Pick the questions, then answer them aloud. Everything runs on this computer."
        )
        subtitle.setWordWrap(True)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(12)
        self.practice_panel = PracticePanel()
        self.practice_panel.start_requested.connect(self._start_questions)
        left.addWidget(self.practice_panel)
        left.addWidget(self._build_questions_box(), 1)
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self._build_timing_box())
        right.addWidget(self._build_engine_box())
        right.addWidget(self._build_voice_box())
        right.addWidget(self._build_audio_box())
        right.addStretch(1)
        columns.addLayout(right, 2)

        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Interview summary")
        self.start_button = QPushButton("Start interview")
        self.start_button.setDefault(True)
        self.start_button.setFont(scaled_font(self, 1.15, bold=True))
        self.start_button.setMinimumHeight(38)
        self.start_button.setAccessibleName("Start interview")
        self.start_button.setToolTip("Start the interview (Ctrl+Enter)")
        self.start_button.clicked.connect(self.request_start)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.request_start)
        footer = QHBoxLayout()
        footer.addWidget(self.summary_label, 1)
        footer.addWidget(self.start_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        self.doctor_panel = DoctorPanel()
        layout.addWidget(self.doctor_panel)
        layout.addSpacing(6)
        layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        bar = QHBoxLayout()
        bar.setContentsMargins(20, 8, 20, 14)
        bar.addLayout(footer)
        outer.addLayout(bar)

    def _build_questions_box(self) -> QGroupBox:
        box = QGroupBox("Questions")
        self.random_radio = QRadioButton("A random set")
        self.random_radio.setAccessibleName("Random set of questions")
        self.pick_radio = QRadioButton("Pick questions myself")
        self.pick_radio.setAccessibleName("Hand-pick questions")
        self._source_group = QButtonGroup(self)
        self._source_group.addButton(self.random_radio)
        self._source_group.addButton(self.pick_radio)
        self.random_radio.toggled.connect(self._on_source_changed)
        source_row = QHBoxLayout()
        source_row.addWidget(self.random_radio)
        source_row.addWidget(self.pick_radio)
        source_row.addStretch(1)

        self.source_pages = QStackedWidget()
        # Random set page: categories, difficulty, count.
        random_page = QWidget()
        grid = QGridLayout()
        self.category_boxes: dict[str, QCheckBox] = {}
        for i, (cat_id, label) in enumerate(CATEGORIES.items()):
            check = QCheckBox(label)
            check.setAccessibleName(f"Category: {label}")
            check.toggled.connect(self._update_summary)
            self.category_boxes[cat_id] = check
            grid.addWidget(check, i // 2, i % 2)
        self.difficulty_combo = QComboBox()
        for value, label in DIFFICULTIES:
            self.difficulty_combo.addItem(label, value)
        self.difficulty_combo.setAccessibleName("Difficulty")
        self.difficulty_combo.currentIndexChanged.connect(self._update_summary)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 10)
        self.count_spin.setAccessibleName("Number of questions")
        self.count_spin.valueChanged.connect(self._update_summary)
        form = QFormLayout()
        form.addRow("Difficulty:", self.difficulty_combo)
        form.addRow("Number of questions:", self.count_spin)
        hint = QLabel("No category ticked means all categories.")
        hint.setEnabled(False)
        self.match_preview = QListWidget()
        self.match_preview.setAccessibleName("Questions that match the choice")
        self.match_preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.match_preview.setWordWrap(True)
        self.match_preview.setAlternatingRowColors(True)
        self.match_preview.setSpacing(2)
        random_layout = QVBoxLayout(random_page)
        random_layout.setContentsMargins(0, 0, 0, 0)
        random_layout.addLayout(grid)
        random_layout.addWidget(hint)
        random_layout.addLayout(form)
        random_layout.addWidget(QLabel("Questions the set is drawn from:"))
        random_layout.addWidget(self.match_preview, 1)
        self.source_pages.addWidget(random_page)

        # Hand-picked page: a searchable, checkable list (bundled and the user's own questions).
        pick_page = QWidget()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search questions…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search questions")
        self.search_edit.textChanged.connect(self._filter_questions)
        self.question_list = QListWidget()
        self.question_list.setAccessibleName("Questions to pick from")
        self.question_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.question_list.setWordWrap(True)
        self.question_list.setAlternatingRowColors(True)
        self.question_list.setSpacing(2)
        self.question_list.itemChanged.connect(self._update_summary)
        self.question_list.setMinimumHeight(220)
        pick_layout = QVBoxLayout(pick_page)
        pick_layout.setContentsMargins(0, 0, 0, 0)
        pick_layout.addWidget(self.search_edit)
        pick_layout.addWidget(self.question_list, 1)
        self.source_pages.addWidget(pick_page)

        self.bank_status = QLabel("Loading questions…")
        self.bank_status.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addLayout(source_row)
        layout.addWidget(self.source_pages, 1)
        layout.addWidget(self.bank_status)
        return box

    def _build_timing_box(self) -> QGroupBox:
        box = QGroupBox("Timing and follow-ups")
        self.time_limit_spin = QSpinBox()
        self.time_limit_spin.setRange(0, 30)
        self.time_limit_spin.setSuffix(" min")
        self.time_limit_spin.setSpecialValueText("Each question's own limit")
        self.time_limit_spin.setAccessibleName("Time limit per answer in minutes")
        self.time_limit_spin.valueChanged.connect(self._update_summary)
        self.follow_ups_spin = QSpinBox()
        self.follow_ups_spin.setRange(0, 3)
        self.follow_ups_spin.setAccessibleName("Follow-up questions per question")
        self.follow_ups_spin.valueChanged.connect(self._update_summary)
        form = QFormLayout(box)
        form.addRow("Time limit per answer:", self.time_limit_spin)
        form.addRow("Follow-ups per question:", self.follow_ups_spin)
        return box

    def _build_engine_box(self) -> QGroupBox:
        box = QGroupBox("Interviewer engine")
        self.offline_radio = QRadioButton("Offline (built in, no network)")
        self.offline_radio.setAccessibleName("Offline grading engine")
        self.llm_radio = QRadioButton("LLM (an OpenAI-compatible server)")
        self.llm_radio.setAccessibleName("LLM grading engine")
        group = QButtonGroup(self)
        group.addButton(self.offline_radio)
        group.addButton(self.llm_radio)
        self.llm_label = QLabel("LLM: not configured yet (Settings…)")
        self.llm_label.setWordWrap(True)
        self.llm_label.setAccessibleName("Configured LLM model")
        note = QLabel(
            "Audio never leaves this computer: speech is transcribed locally, and only the "
            "transcript text goes to the LLM."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        layout = QVBoxLayout(box)
        layout.addWidget(self.offline_radio)
        layout.addWidget(self.llm_radio)
        layout.addWidget(self.llm_label)
        layout.addWidget(note)
        return box

    def _build_voice_box(self) -> QGroupBox:
        box = QGroupBox("Interviewer voice")
        self.voice_combo = QComboBox()
        self.voice_combo.addItem("System default voice", "")
        self.voice_combo.setAccessibleName("Interviewer voice")
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(80, 300)
        self.rate_spin.setSingleStep(10)
        self.rate_spin.setSuffix(" words/min")
        self.rate_spin.setAccessibleName("Interviewer speaking speed")
        self.preview_button = QPushButton("Preview voice")
        self.preview_button.setAccessibleName("Preview the interviewer voice")
        self.preview_button.clicked.connect(self.preview_voice)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.rate_spin, 1)
        rate_row.addWidget(self.preview_button)
        form = QFormLayout(box)
        form.addRow("Voice:", self.voice_combo)
        form.addRow("Speed:", rate_row)
        return box

    def _build_audio_box(self) -> QGroupBox:
        box = QGroupBox("Microphone and transcription")
        self.mic_combo = QComboBox()
        self.mic_combo.addItem("System default microphone", "")
        self.mic_combo.setAccessibleName("Microphone")
        self.mic_check = MicCheck(lambda: str(self.mic_combo.currentData() or ""))
        self.mic_status = self.mic_check.status
        self.model_combo = QComboBox()
        self.model_combo.setAccessibleName("Whisper speech model")
        self.model_combo.activated.connect(self._on_model_activated)
        self.other_model_edit = QLineEdit()
        self.other_model_edit.setPlaceholderText("faster-whisper model name, e.g. base.en")
        self.other_model_edit.setAccessibleName("Other Whisper model name")
        self.other_model_edit.returnPressed.connect(self._use_other_model)
        self.other_model_button = QPushButton("Use")
        self.other_model_button.setAccessibleName("Use this model name")
        self.other_model_button.clicked.connect(self._use_other_model)
        self.other_model_row = QWidget()
        other_layout = QHBoxLayout(self.other_model_row)
        other_layout.setContentsMargins(0, 0, 0, 0)
        other_layout.addWidget(self.other_model_edit, 1)
        other_layout.addWidget(self.other_model_button)
        self.other_model_row.hide()
        form = QFormLayout(box)
        form.addRow("Microphone:", self.mic_combo)
        form.addRow("Level:", self.mic_check)
        form.addRow("Speech model:", self.model_combo)
        form.addRow("", self.other_model_row)
        return box

    # -- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read questions, voices, devices, models and the LLM setting again (in the background)."""
        self._loaded_once = True
        services = self._services
        run_in_background(
            services.load_bank, on_finished=self._on_bank, on_failed=self._on_bank_failed
        )
        self.practice_panel.refresh()
        run_in_background(_load_voices, on_finished=self._on_voices, on_failed=self._quiet_fail)
        run_in_background(
            services.load_devices, on_finished=self._on_devices, on_failed=self._quiet_fail
        )
        run_in_background(
            services.load_models, on_finished=self._on_models, on_failed=self._on_models_failed
        )
        self.refresh_llm_label()

    def refresh_llm_label(self) -> None:
        """Show which LLM the LLM engine would use (after the settings dialog changed it)."""
        run_in_background(
            self._services.load_llm, on_finished=self._on_llm, on_failed=self._on_llm_failed
        )

    def _on_bank(self, bank: Any) -> None:
        self._bank = bank
        self.question_list.blockSignals(True)
        self.question_list.clear()
        picked = set(self._choices.picked_ids)
        for question in bank.questions:
            mine = _is_user_question(question)
            label = CATEGORIES.get(question.category, question.category)
            extra = f" · {label} · {question.difficulty} · {question.time_limit_s // 60} min"
            if mine:
                extra += " · your question"
            item = QListWidgetItem(f"{question.prompt}\n{extra.strip(' ·')}")
            item.setData(Qt.ItemDataRole.UserRole, question.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if question.id in picked else Qt.CheckState.Unchecked
            )
            item.setToolTip(question.context or question.prompt)
            self.question_list.addItem(item)
        self.question_list.blockSignals(False)
        problems = f" ({len(bank.errors)} question file problems skipped)" if bank.errors else ""
        self.bank_status.setText(f"{len(bank.questions)} questions available{problems}.")
        self._filter_questions(self.search_edit.text())
        self._update_summary()

    def _on_bank_failed(self, exc: BaseException) -> None:
        self.bank_status.setText("The question bank could not be loaded.")
        self.error.emit(f"Question bank: {exc}")

    def _on_voices(self, voices: list[Any]) -> None:
        wanted = self._choices.voice
        self.voice_combo.clear()
        self.voice_combo.addItem("System default voice", "")
        for voice in voices:
            self.voice_combo.addItem(str(voice.name), str(voice.id))
        index = self.voice_combo.findData(wanted)
        self.voice_combo.setCurrentIndex(max(0, index))

    def _on_devices(self, devices: list[Any]) -> None:
        wanted = self._choices.input_device
        self.mic_combo.clear()
        self.mic_combo.addItem("System default microphone", "")
        for device in devices:
            suffix = " (default)" if getattr(device, "is_default", False) else ""
            self.mic_combo.addItem(f"{device.name}{suffix}", str(device.name))
        index = self.mic_combo.findData(wanted)
        self.mic_combo.setCurrentIndex(max(0, index))
        if not devices:
            self.mic_status.setText(
                "No microphone found. You can still practise by typing your answers."
            )

    def _on_models(self, models: list[Any]) -> None:
        wanted = self._choices.whisper_model
        self.model_combo.clear()
        for spec in models:
            data = "" if getattr(spec, "source", "") == "bundled" else str(spec.path)
            label = f"{spec.name} (bundled)" if data == "" else spec.name
            self.model_combo.addItem(label, data)
        if self.model_combo.findData("") < 0:
            self.model_combo.insertItem(0, "tiny.en (bundled)", "")
        if wanted and self.model_combo.findData(wanted) < 0:
            self.model_combo.addItem(Path(wanted).name or wanted, wanted)
        self.model_combo.addItem("Other model name… (needs internet)", OTHER_MODEL)
        self.model_combo.addItem("Choose folder…", CHOOSE_FOLDER)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(wanted)))

    def _on_models_failed(self, exc: BaseException) -> None:
        self._on_models([])
        self.error.emit(f"Speech models: {exc}")

    def _on_llm(self, llm: Any) -> None:
        if llm.is_complete:
            where = "on this computer" if llm.is_local else llm.base_url
            self.llm_label.setText(f"LLM model: {llm.model} ({where})")
        else:
            missing = " and ".join(llm.missing_fields)
            self.llm_label.setText(f"LLM not configured: set the {missing} in Settings…")

    def _on_llm_failed(self, exc: BaseException) -> None:
        self.llm_label.setText(f"LLM settings problem: {exc}")

    def _quiet_fail(self, exc: BaseException) -> None:
        self.error.emit(str(exc))

    # -- choices ----------------------------------------------------------------------------------
    def _restore(self, choices: app_settings.SetupChoices) -> None:
        if choices.source == app_settings.SOURCE_HAND_PICKED:
            self.pick_radio.setChecked(True)
        else:
            self.random_radio.setChecked(True)
        self._on_source_changed()
        for cat_id, box in self.category_boxes.items():
            box.setChecked(cat_id in choices.categories)
        self.difficulty_combo.setCurrentIndex(
            max(0, self.difficulty_combo.findData(choices.difficulty))
        )
        self.count_spin.setValue(choices.count)
        self.time_limit_spin.setValue(choices.time_limit_s // 60)
        self.follow_ups_spin.setValue(choices.follow_ups)
        (self.llm_radio if choices.engine == "llm" else self.offline_radio).setChecked(True)
        self.rate_spin.setValue(choices.voice_rate)

    def current_choices(self) -> app_settings.SetupChoices:
        """The choices as shown on screen right now."""
        model = self.model_combo.currentData()
        if model in (OTHER_MODEL, CHOOSE_FOLDER, None):
            model = self._choices.whisper_model
        return app_settings.SetupChoices(
            source=app_settings.SOURCE_HAND_PICKED
            if self.pick_radio.isChecked()
            else app_settings.SOURCE_RANDOM,
            categories=[c for c, box in self.category_boxes.items() if box.isChecked()],
            difficulty=str(self.difficulty_combo.currentData()),
            count=self.count_spin.value(),
            picked_ids=self.picked_ids() if self._bank is not None else self._choices.picked_ids,
            time_limit_s=self.time_limit_spin.value() * 60,
            follow_ups=self.follow_ups_spin.value(),
            engine="llm" if self.llm_radio.isChecked() else "offline",
            voice=str(self.voice_combo.currentData() or ""),
            voice_rate=self.rate_spin.value(),
            input_device=str(self.mic_combo.currentData() or ""),
            whisper_model=str(model or ""),
        )

    def save_choices(self) -> None:
        """Remember the current choices (also done on start and when the window closes)."""
        self._choices = self.current_choices()
        app_settings.save_setup_choices(self._choices)

    def picked_ids(self) -> list[str]:
        """Ids of the ticked questions, in list order."""
        ids = []
        for row in range(self.question_list.count()):
            item = self.question_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def set_picked(self, ids: list[str]) -> None:
        """Tick exactly these questions (used by tests and the 'practise again' path)."""
        wanted = set(ids)
        for row in range(self.question_list.count()):
            item = self.question_list.item(row)
            question_id = str(item.data(Qt.ItemDataRole.UserRole))
            state = Qt.CheckState.Checked if question_id in wanted else Qt.CheckState.Unchecked
            item.setCheckState(state)

    @property
    def bank_loaded(self) -> bool:
        return self._bank is not None

    def build_plan(self) -> InterviewPlan | None:
        """The plan for the current choices, or None with the reason shown on screen."""
        choices = self.current_choices() if self._bank is not None else self._choices
        result = setup_plan.build_plan(self._bank, choices, app_settings.load_preferences())
        if result.plan is None:
            self.summary_label.setText(result.reason)
        return result.plan

    def plan_for_questions(
        self, questions: list[Any], extra: dict[str, Any] | None = None
    ) -> InterviewPlan:
        """A plan for exactly these questions with the rest of the current choices.

        ``extra`` goes into the session's settings (a retry's link, an interview loop's clock).
        """
        return setup_plan.plan_for_questions(
            questions, self.current_choices(), app_settings.load_preferences(), extra
        )

    def request_start(self) -> None:
        """Start with the current choices (button or Ctrl+Enter)."""
        if not self.isVisible():
            return
        plan = self.build_plan()
        if plan is None:
            return
        self.stop_mic_test()
        self.save_choices()
        self.start_requested.emit(plan)

    def _start_questions(self, questions: list[Any], extra: dict[str, Any]) -> None:
        """Start exactly these questions (today's practice, an interview loop)."""
        if not self.isVisible():
            return
        self.stop_mic_test()
        self.save_choices()
        self.start_requested.emit(self.plan_for_questions(questions, extra))

    def _on_source_changed(self) -> None:
        self.source_pages.setCurrentIndex(0 if self.random_radio.isChecked() else 1)
        self._update_summary()

    def _filter_questions(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.question_list.count()):
            item = self.question_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _update_summary(self, *_args: Any) -> None:
        if self._bank is None:
            self.summary_label.setText("Loading questions…")
            return
        choices = self.current_choices()
        if not self.pick_radio.isChecked():
            self._show_matches(setup_plan.matching_questions(self._bank, choices))
        text, count = setup_plan.summary(self._bank, choices)
        self.summary_label.setText(text)
        self.start_button.setEnabled(count > 0)

    def _show_matches(self, questions: list[Any]) -> None:
        self.match_preview.clear()
        for question in questions:
            label = CATEGORIES.get(question.category, question.category)
            self.match_preview.addItem(f"{question.prompt}  ({label}, {question.difficulty})")

    # -- Whisper model choice ---------------------------------------------------------------------
    def _on_model_activated(self, index: int) -> None:
        data = self.model_combo.itemData(index)
        if data == OTHER_MODEL:
            self.other_model_row.show()
            self.other_model_edit.setFocus()
            return
        self.other_model_row.hide()
        if data == CHOOSE_FOLDER:
            folder = QFileDialog.getExistingDirectory(self, "Choose a Whisper model folder")
            if not folder:
                self.model_combo.setCurrentIndex(
                    max(0, self.model_combo.findData(self._choices.whisper_model))
                )
                return
            self._add_model_choice(Path(folder).name, folder)
            return
        self._choices.whisper_model = str(data or "")
        self.model_changed.emit(self._choices.whisper_model)

    def _use_other_model(self) -> None:
        name = self.other_model_edit.text().strip()
        if not name:
            return
        self.other_model_row.hide()
        self._add_model_choice(f"{name} (download)", name)

    def _add_model_choice(self, label: str, data: str) -> None:
        index = self.model_combo.findData(data)
        if index < 0:
            index = self.model_combo.count() - 2  # before the two "Other…" entries
            self.model_combo.insertItem(index, label, data)
        self.model_combo.setCurrentIndex(index)
        self._choices.whisper_model = data
        self.model_changed.emit(data)

    def selected_model(self) -> str:
        """The Whisper model choice ("" = bundled tiny.en)."""
        return self.current_choices().whisper_model

    # -- voice preview and mic check ---------------------------------------------------------
    def preview_voice(self) -> None:
        """Speak a short sentence with the chosen voice and speed (in the background)."""
        voice = str(self.voice_combo.currentData() or "") or None
        rate = self.rate_spin.value()
        device = app_settings.load_preferences().output_device or None
        self.preview_button.setEnabled(False)
        run_in_background(
            _preview,
            voice,
            rate,
            device,
            on_finished=lambda _r: self.preview_button.setEnabled(True),
            on_failed=self._on_preview_failed,
        )

    def _on_preview_failed(self, exc: BaseException) -> None:
        self.preview_button.setEnabled(True)
        self.error.emit(f"Voice preview: {exc}")

    def stop_mic_test(self) -> None:
        """Close the microphone check (leaving the screen, starting the interview)."""
        self.mic_check.stop()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Read the lists on the first show, after the window is on screen (fast start-up)."""
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            QTimer.singleShot(0, self.reload)
            QTimer.singleShot(0, self._run_doctor)

    def _run_doctor(self) -> None:
        """The first-run checks on the chosen devices; the panel appears only on a problem."""
        self.doctor_panel.run(
            input_device=self._choices.input_device or None,
            output_device=self._prefs.output_device or None,
            model=self._choices.whisper_model or None,
        )

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.stop_mic_test()
        super().hideEvent(event)


def _is_user_question(question: Any) -> bool:
    """True for questions from the user's own folder (their source path is under it)."""
    from engine import paths

    source = str(getattr(question, "source", "") or "")
    return bool(source) and source.startswith(str(paths.user_questions_dir()))


def _preview(voice: str | None, rate: int, device: str | None) -> None:
    """Speak the preview sentence and wait until it is done (worker thread)."""
    import threading

    from engine.speech.voice import Speaker

    done = threading.Event()
    speaker = Speaker(voice=voice, rate=rate, device=device)
    speaker.speak(PREVIEW_TEXT, on_finished=lambda *_: done.set())
    done.wait(timeout=30)
