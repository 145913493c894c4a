"""Transcribe an answer while it is being spoken, so only a few seconds remain at the end.

Transcribing a 3-minute answer in one go costs several seconds on two cores; the user would stare
at a spinner right when they want their report. A ``StreamingSession`` instead receives audio
chunks as the microphone delivers them, and a background thread keeps the *undecided tail* (the
audio whose words are not settled yet) short, so ``finish()`` only ever decodes a few seconds,
however long the answer and whatever its pauses.

How words get settled, and why (each choice measured with tiny.en on two cores, bench/):
- Every pass decodes only the undecided tail, prompted with the last settled words, so style and
  vocabulary carry over and settled audio is never decoded twice.
- Local agreement: a word is settled once two consecutive passes agree on it (and on every word
  before it). A word that two passes with different amounts of right context hear alike is one
  a single long pass would almost always have heard alike too.
- A tail longer than ``max_tail_s`` (a speaker who never lets two passes agree, or a backlog)
  settles the words the latest pass heard with at least ``right_context_s`` after them: the
  tail, and so the work left for ``finish()``, stays bounded without waiting for a pause.
- After settling, the buffer is cut at the quietest frame between the last settled word and the
  next one, so the next pass starts between words; a word the next pass hears again at the
  seam is dropped (matched on text and time, and only if it spans next to no speech: an echo,
  not a repeat the speaker said), so none is lost or doubled at a cut.
- No stretch of speech may be settled without words. The prompt can make Whisper skip a
  phrase that repeats its end (JFK: prompted with "... can do for you", the tail "ask what
  you can do for your country" came back as "can do for your country", the aligner stretching
  "can" over the skipped words). A decode is doubted when speech lies away from its words,
  when one word spans over a second of speech, or when it skips words the previous pass from
  the same start heard and then goes on; a doubted decode is retried unprompted, and words
  after the doubtful place are never settled, whatever the timing of the passes. Only a tail
  that must shrink (past ``max_tail_s``) settles what Whisper, unprompted too, did hear.
- Words the aligner starts at one instant may not be speech: after a sentence that ends like
  the prompt, Whisper may repeat that sentence and squeeze it into the end of the real one.
  Three or more words starting within 50 ms, followed by later words, that repeat the words
  just before them are dropped before anything is settled (such a run doubled JFK's first
  clause when a long tail was settled without agreement).
- ``finish()`` keeps the words the latest pass heard with a second of audio after them and
  decodes only the rest: on a long answer without pauses that is about 2 s instead of 10 s.
- Whisper pads every pass to 30 s, so a pass costs about the same whatever its length: what CPU
  costs is the *number* of passes. They are paced by a CPU budget (``cpu_budget`` CPU-seconds
  per second of audio, measured with ``time.process_time``), so a slow machine or model makes
  passes rarer instead of falling behind; a pass also runs as soon as the speaker pauses, so
  ``finish()`` after a closing pause adopts it and decodes nothing at all.
- Passes are greedy with a token cap (``STREAM_DECODING``): the temperature fallback that suits
  a whole file made single unclear stretches cost 5-12 s here, exactly the wait a user would see.
"""

from __future__ import annotations

import difflib
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import TranscriptionError
from engine.speech.audio_io import SAMPLE_RATE
from engine.speech.filled_pauses import detect_filled_pauses
from engine.speech.transcriber import FRAME, SPEECH_FLOOR_DBFS, DecodeOptions
from engine.transcript import FilledPause, Segment, Transcript, Word

if TYPE_CHECKING:
    from engine.speech.transcriber import Transcriber

FRAME_S = FRAME / SAMPLE_RATE
MAX_WORD_S = 0.6  # loud time one spoken word accounts for, on average at most
WORD_LOUD_CAP_S = 1.0  # loud time under a single word beyond which it must hide skipped words
UNHEARD_TOLERANCE_S = 1.0  # speech a decode may leave without words and still count as complete
SEGMENT_GAP_S = 1.0  # a silence this long between settled words starts a new segment
SCAN_EVERY_S = 10.0  # settled audio searched for fillers at a time (see _scan_fillers)
STREAM_DECODING = DecodeOptions(temperatures=(0.0,), tokens_per_second=6.0)
_SEAM_NGRAM = 4  # longest run of words matched when dropping a word heard twice at a cut
_SEAM_ECHO_S = 0.3  # most speech a word heard twice at a cut may span after the seam
FINISH_CONTEXT_S = 1.0  # audio after a word of the latest pass for finish() to keep it
SQUEEZED_WORD_S = 0.05  # words starting this close together were given no audio of their own
SQUEEZED_RUN = 3  # this many of them, with words heard after them, may never have been spoken
SQUEEZED_LOOKBACK = 25  # words before such a run that it must repeat to be dropped
_NORM_RE = re.compile(r"[^a-z0-9']+")


@dataclass(frozen=True)
class StreamingOptions:
    """Tuning of the streaming session (defaults measured with tiny.en on two cores).

    Attributes:
        tentative: show the undecided tail in ``partial()`` and run passes on a timer (off for
            batch-like uses such as the demo: then passes run only when the tail is long).
        pass_every_s: least new audio between two timed passes.
        cpu_budget: CPU-seconds that timed passes may spend per second of audio.
        max_tail_s: undecided audio beyond which words are settled without agreement.
        right_context_s: audio a pass must have heard after a word to settle it alone.
        window_s: most audio one pass decodes (Whisper's window is 30 s).
        prompt_words: settled words given to Whisper as the prompt of the next pass.
        pause_s: silence at the end of the audio that triggers a pass at once.
    """

    tentative: bool = True
    pass_every_s: float = 1.0
    cpu_budget: float = 0.35
    max_tail_s: float = 8.0
    right_context_s: float = 2.0
    window_s: float = 24.0
    prompt_words: int = 40
    pause_s: float = 0.2


@dataclass(frozen=True)
class PartialTranscript:
    """What a live transcript shows: settled text plus a tail that may still change."""

    committed: str
    tentative: str

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.committed, self.tentative) if part)


@dataclass(frozen=True)
class _Pass:
    """The words one pass heard in [start, end) (samples) that are not settled yet."""

    start: int
    end: int
    words: tuple[Word, ...]
    complete: bool  # no stretch of speech in [start, end) went without words


class StreamingSession:
    """One spoken answer being transcribed while it arrives (see the module docstring).

    ``feed`` may be called from any thread (an audio callback's consumer, typically) and never
    waits for transcription. ``finish``/``cancel`` end the session; both are idempotent.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        context_prompt: str | None = None,
        *,
        cpu_clock: Callable[[], float] = time.process_time,
        **settings: Any,
    ) -> None:
        self._transcriber = transcriber
        self._cpu_clock = cpu_clock  # what the CPU budget is measured with (tests freeze it)
        self.options = replace(StreamingOptions(), **settings)
        self._context_prompt = (context_prompt or "").strip()
        self._cond = threading.Condition()
        self._buffer = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
        self._total = 0  # samples fed
        self._finishing = False
        self._cancelled = False
        self._done = False
        self._waiting = False  # worker is idle, waiting for audio
        self._seen = 0  # samples the worker has looked at
        self._error: BaseException | None = None
        # Worker-only state (read by partial() under the lock).
        self._committed: list[Word] = []
        self._tail_start = 0  # first sample of the undecided tail
        self._last: _Pass | None = None  # the latest pass over the undecided tail
        self._frame_db = np.zeros(0, dtype=np.float32)
        self._language: str | None = None
        self._filled: list[FilledPause] = []  # fillers found in the settled audio so far
        self._scanned = 0  # samples already searched for fillers
        self._pass_cpu_s = 0.6  # CPU one pass costs (updated from each measured pass)
        self._cpu_spent = 0.0  # CPU of the timed passes so far
        self.stats: dict[str, float] = {
            "passes": 0,
            "tentative_passes": 0,
            "agreed_words": 0,
            "forced_words": 0,
            "forced_commits": 0,
            "reused_tail": 0,
            "decode_s": 0.0,
            "decode_cpu_s": 0.0,
            "slowest_pass_s": 0.0,
            "unprompted_retries": 0,
            "longest_tail_s": 0.0,
            "finish_decoded_s": 0.0,
        }
        self._thread = threading.Thread(target=self._run, name="whisper-stream", daemon=True)
        self._thread.start()

    # ----------------------------------------------------------------- public API
    def feed(self, chunk: np.ndarray) -> None:
        """Append float32 16 kHz mono audio of any length; returns at once."""
        data = np.asarray(chunk, dtype=np.float32).reshape(-1)
        if data.size == 0:
            return
        with self._cond:
            if self._finishing or self._cancelled:
                return
            needed = self._total + data.size
            if needed > self._buffer.size:
                grown = np.zeros(max(needed, self._buffer.size * 2), dtype=np.float32)
                grown[: self._total] = self._buffer[: self._total]
                self._buffer = grown
            self._buffer[self._total : needed] = data
            self._total = needed
            self._cond.notify_all()

    def partial(self) -> PartialTranscript:
        """Committed text plus the latest tentative tail, for a live transcript."""
        with self._cond:
            committed = _join(self._committed)
            last = self._last
            tentative = _join(last.words) if last is not None and self.options.tentative else ""
        return PartialTranscript(committed=committed, tentative=tentative)

    @property
    def duration_s(self) -> float:
        """Seconds of audio fed so far."""
        with self._cond:
            return self._total / SAMPLE_RATE

    @property
    def error(self) -> BaseException | None:
        """The failure of the background thread, if any (``finish`` raises it)."""
        return self._error

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the worker has handled all audio fed so far (or the timeout passes).

        Lets benchmarks and tests feed audio faster than real time while keeping the worker's
        behaviour identical to a live session: an idle worker only waits for audio.
        """
        with self._cond:
            return self._cond.wait_for(
                lambda: self._done or (self._waiting and self._seen == self._total), timeout
            )

    def finish(self) -> Transcript:
        """Transcribe what is left and return the whole answer on the recording's clock.

        Silence-only audio gives an empty transcript; callers decide whether that is an error.
        ``extra["streaming"]["finish_decoded_s"]`` says how much audio was left to decode.
        Fillers Whisper left out are looked for in the audio (``Transcript.filled_pauses``).

        Raises:
            TranscriptionError: the background transcription failed.
        """
        with self._cond:
            if self._cancelled:
                raise TranscriptionError("the transcription was cancelled")
            self._finishing = True
            self._cond.notify_all()
        self._thread.join()
        if self._error is not None:
            if isinstance(self._error, TranscriptionError):
                raise self._error
            raise TranscriptionError(f"live transcription failed: {self._error}") from self._error
        return Transcript(
            segments=_segments(self._committed),
            language=self._language or "en",
            duration_s=self._total / SAMPLE_RATE,
            model=self._transcriber.model_name,
            extra={"streaming": dict(self.stats)},
            filled_pauses=tuple(self._filled),
        )

    def cancel(self) -> None:
        """Stop transcribing and drop the session (the running pass, if any, finishes first)."""
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    # ----------------------------------------------------------------- worker
    def _run(self) -> None:
        try:
            self._transcriber.load()
            self._loop()
        except BaseException as exc:  # reported by finish(); the thread must not die silently
            self._error = exc
        finally:
            with self._cond:
                self._done = True
                self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._waiting = True
                self._cond.notify_all()
                self._cond.wait_for(
                    lambda: self._cancelled or self._finishing or self._total > self._seen
                )
                self._waiting = False
                if self._cancelled:
                    return
                total, finishing, buffer = self._total, self._finishing, self._buffer
                self._seen = total
            self._update_energy(buffer, total)
            if finishing:
                self._finish_tail(buffer, total)
                self._scan_fillers(buffer, total)
                return
            # A backlog (audio fed faster than real time, a slow model) is worked off in
            # window-sized passes that settle what they heard with enough right context.
            while not self._cancelled and self._tail_s(total) > self.options.window_s:
                self._pass(buffer, total, timed=False)
            if self._cancelled:
                return
            self._skip_leading_silence(total)
            if self._wants_pass(total):
                self._pass(buffer, total, timed=True)

    def _skip_leading_silence(self, total: int) -> None:
        """Move the tail's start to half a second before its first speech.

        Only while no words are pending: a long silence then costs no pass and cannot tempt
        Whisper to invent words.
        """
        if self._last is not None and self._last.words:
            return
        first = self._tail_start // FRAME
        last = min(total // FRAME, self._frame_db.size)
        if last - first < int(1.0 / FRAME_S):
            return
        loud = self._frame_db[first:last] > max(self._threshold_db(), SPEECH_FLOOR_DBFS)
        onset = first + int(np.argmax(loud)) if np.any(loud) else last
        keep = onset - int(0.5 / FRAME_S)
        if keep > first:
            with self._cond:
                self._tail_start = keep * FRAME

    def _tail_s(self, total: int) -> float:
        return (total - self._tail_start) / SAMPLE_RATE

    def _wants_pass(self, total: int) -> bool:
        """Run a pass over the undecided tail now?

        Always when the tail has grown past ``max_tail_s`` plus the right context a word needs
        (the bound on what ``finish()`` may have to decode). Otherwise, with previews on: when
        the CPU budget earned by the audio so far pays for one more pass and at least
        ``pass_every_s`` of new audio came in, or at once when the speaker has just paused
        (if they stop now, ``finish()`` adopts that pass and decodes nothing). A pause may
        borrow up to one pass from the budget: the next timed pass waits until it is repaid,
        so the CPU spent still follows the budget over an answer.
        """
        opts = self.options
        tail = self._tail_s(total)
        if tail < 0.5 or not self._speech_after(self._tail_start, total):
            return False
        if tail >= opts.max_tail_s + opts.right_context_s:
            return True
        if not opts.tentative:
            return False
        done_until = self._last.end if self._last is not None else self._tail_start
        fresh = (total - done_until) / SAMPLE_RATE
        credit = opts.cpu_budget * total / SAMPLE_RATE - self._cpu_spent
        if fresh >= opts.pass_every_s and credit >= self._pass_cpu_s:
            return True
        if fresh < 0.3 or credit < -self._pass_cpu_s:
            return False
        return self._speech_after(done_until, total) and self._ends_in_pause(total)

    def _pass(self, buffer: np.ndarray, total: int, *, timed: bool) -> None:
        """Decode the undecided tail and settle the words it has agreed on (or must settle)."""
        opts = self.options
        start = self._tail_start
        end = min(total, start + int(opts.window_s * SAMPLE_RATE))
        began_cpu = self._cpu_clock()
        previous = self._last
        words, heard_until = self._decode_tail(
            buffer, start, end, recover=False, reference=previous
        )
        cost = self._cpu_clock() - began_cpu
        self._pass_cpu_s = 0.7 * self._pass_cpu_s + 0.3 * cost
        if timed:
            self._cpu_spent += cost
            self.stats["tentative_passes"] += 1
        agreed = 0
        if previous is not None and previous.start == start:
            agreed = _common_prefix(previous.words, words)
        end_s = end / SAMPLE_RATE
        forced = end < total or (end - start) / SAMPLE_RATE >= opts.max_tail_s
        # Never settle past speech the words do not account for: the next pass starts before it.
        settle = self._settle_count(words, agreed, end, forced=forced, until_s=heard_until)
        if settle == 0 and forced:
            # Even unprompted, Whisper hears no words there; a tail that must shrink settles
            # what it did hear rather than grow without end.
            settle = self._settle_count(words, agreed, end, forced=True)
        if settle > agreed:
            self.stats["forced_commits"] += 1
            self.stats["forced_words"] += settle - agreed
        self.stats["agreed_words"] += min(agreed, settle)
        self._settle(buffer, words, settle, start, end, heard_until >= end_s)
        if settle == 0 and (end < total or (end - start) / SAMPLE_RATE >= opts.max_tail_s):
            # Seconds of sound in which Whisper (prompted and not) hears no word: noise or a
            # hum. Move past them, or every chunk would trigger another pass.
            skip_s = end_s - opts.right_context_s
            if words:
                skip_s = min(skip_s, words[0].start - 0.1)
            with self._cond:
                self._tail_start = max(start, int(skip_s * SAMPLE_RATE))

    def _settle(
        self,
        buffer: np.ndarray,
        words: tuple[Word, ...],
        count: int,
        start: int,
        end: int,
        complete: bool,
    ) -> None:
        """Commit the first ``count`` words and cut the undecided tail right after them."""
        cut = start
        if count:
            following = words[count] if count < len(words) else None
            cut = self._cut_between(words[count - 1], following, start, end)
        rest = tuple(w for w in words[count:] if (w.start + w.end) / 2 >= cut / SAMPLE_RATE)
        with self._cond:
            self._committed.extend(_ordered(self._committed, words[:count]))
            self._tail_start = cut
            self._last = _Pass(cut, end, rest, complete)
        longest = max(self.stats["longest_tail_s"], (end - cut) / SAMPLE_RATE)
        self.stats["longest_tail_s"] = round(longest, 3)
        if cut - self._scanned >= SCAN_EVERY_S * SAMPLE_RATE:
            self._scan_fillers(buffer, cut)

    def _scan_fillers(self, buffer: np.ndarray, until: int) -> None:
        """Look for fillers in settled audio as it settles, so ``finish()`` has little left.

        The scan ends at a cut, which lies in the quietest frame between two words, so a
        filler is never split between two scans.
        """
        begin_s, until_s = self._scanned / SAMPLE_RATE, until / SAMPLE_RATE
        words = [w for w in self._committed if w.end > begin_s - 0.5 and w.start < until_s + 0.5]
        self._filled.extend(detect_filled_pauses(buffer[self._scanned : until], words, begin_s))
        self._scanned = until

    def _finish_tail(self, buffer: np.ndarray, total: int) -> None:
        """Settle everything: adopt the latest pass if it already heard it all, else decode."""
        last = self._last
        if last is not None and last.start == self._tail_start and last.complete:
            gap = buffer[last.end : total]
            if not _has_speech(gap, self._threshold_db(), min_frames=1):
                self.stats["reused_tail"] += 1
                self._settle(buffer, last.words, len(last.words), last.start, total, True)
                return
        if last is not None and last.start == self._tail_start and last.complete:
            self._settle_heard(buffer, last)
        while not self._cancelled and self._tail_start < total:
            start = self._tail_start
            end = min(total, start + int(self.options.window_s * SAMPLE_RATE))
            self.stats["finish_decoded_s"] = round(
                self.stats["finish_decoded_s"] + (end - start) / SAMPLE_RATE, 3
            )
            words, heard_until = self._decode_tail(
                buffer, start, end, recover=True, reference=self._last
            )
            complete = heard_until >= end / SAMPLE_RATE
            if end < total:
                count = self._settle_count(words, 0, end, forced=True) or len(words)
                self._settle(buffer, words, count, start, end, complete)
                if count == 0:
                    with self._cond:
                        self._tail_start = end  # nothing heard: move on rather than loop
            else:
                self._settle(buffer, words, len(words), start, total, complete)
                return

    def _settle_heard(self, buffer: np.ndarray, last: _Pass) -> None:
        """At ``finish()``, settle what the latest pass heard with a second after it.

        Without this, ``finish()`` decodes the whole undecided tail again (up to 10 s on a long
        answer without pauses). The latest pass heard most of it already; its words with
        ``FINISH_CONTEXT_S`` of audio after them are as sure as ``finish()`` would make them,
        so only the rest, and the audio that came in since, is decoded again.
        """
        count = self._settle_count(last.words, 0, last.end, forced=True, context_s=FINISH_CONTEXT_S)
        if count == 0:
            return
        self.stats["finish_kept_words"] = count
        self._settle(buffer, last.words, count, last.start, last.end, True)

    def _settle_count(
        self,
        words: tuple[Word, ...],
        agreed: int,
        end: int,
        *,
        forced: bool,
        until_s: float = np.inf,
        context_s: float | None = None,
    ) -> int:
        """How many leading words to settle now.

        The agreed words, but only up to a boundary the buffer can be cut at cleanly (a frame
        of silence between two words), since a cut through a word garbles both sides of it.
        When ``forced`` (the tail is too long), also the words heard with enough right
        context; if none of those boundaries is silent, the quietest one. Only words that end
        by ``until_s`` (where speech the words leave out begins) may be settled at all.
        """
        threshold = max(self._threshold_db(), SPEECH_FLOOR_DBFS)
        right_context_s = self.options.right_context_s if context_s is None else context_s
        limit = end / SAMPLE_RATE - right_context_s
        reach = agreed
        if forced:
            reach = max(agreed, _count_while(words, lambda w: w.end <= limit))
        accounted = _count_while(words, lambda w: w.end <= until_s)
        reach, agreed = min(reach, accounted), min(agreed, accounted)
        best, best_db = 0, np.inf
        for count in range(reach, 0, -1):
            following = words[count] if count < len(words) else None
            quiet = self._boundary_db(words[count - 1], following, end)
            if quiet < threshold and count <= agreed:
                return count  # the last clean cut among the agreed words
            if forced and quiet < threshold:
                return count
            if forced and quiet < best_db - 2.0:
                best, best_db = count, quiet
        return best

    def _boundary_window(self, last: Word, following: Word | None, end: int) -> tuple[int, int]:
        """Frames [low, high) between a word and the next (or after it, when it is last)."""
        after = following.start if following is not None else min(last.end + 0.3, end / SAMPLE_RATE)
        low_s, high_s = min(last.end, after) - 0.03, max(last.end, after) + 0.03
        low = max(0, int(low_s / FRAME_S))
        high = min(end // FRAME, int(high_s / FRAME_S) + 1, self._frame_db.size)
        return low, high

    def _boundary_db(self, last: Word, following: Word | None, end: int) -> float:
        low, high = self._boundary_window(last, following, end)
        if high <= low:
            return np.inf
        return float(np.min(self._frame_db[low:high]))

    def _cut_between(self, last: Word, following: Word | None, start: int, end: int) -> int:
        """Sample where the next pass starts: the quietest frame between two words."""
        low, high = self._boundary_window(last, following, end)
        low = max(low, start // FRAME)
        if high <= low:
            return int(np.clip(int(last.end * SAMPLE_RATE), start, end))
        quietest = low + int(np.argmin(self._frame_db[low:high]))
        return int(np.clip(quietest * FRAME + FRAME // 2, start, end))

    # ----------------------------------------------------------------- energy
    def _update_energy(self, buffer: np.ndarray, total: int) -> None:
        known = self._frame_db.size
        complete = total // FRAME
        if complete <= known:
            return
        block = buffer[known * FRAME : complete * FRAME].reshape(-1, FRAME)
        power = np.mean(block.astype(np.float64) ** 2, axis=1)
        db = (10.0 * np.log10(power + 1e-12)).astype(np.float32)
        self._frame_db = np.concatenate([self._frame_db, db])

    def _threshold_db(self) -> float:
        """Silence threshold between the noise floor and the speech level heard so far."""
        db = self._frame_db
        if db.size == 0:
            return SPEECH_FLOOR_DBFS
        floor = max(float(np.percentile(db, 10)), -90.0)
        speech = float(np.percentile(db, 90))
        return floor + max(8.0, 0.3 * (speech - floor))

    def _ends_in_pause(self, total: int) -> bool:
        frames = max(3, int(self.options.pause_s / FRAME_S))
        last = min(total // FRAME, self._frame_db.size)
        if last - self._tail_start // FRAME < frames:
            return False
        return bool(np.all(self._frame_db[last - frames : last] < self._threshold_db()))

    def _speech_after(self, begin: int, end: int) -> bool:
        """Any speech frame in [begin, end) (frame resolution)?"""
        first, last = begin // FRAME, min(end // FRAME, self._frame_db.size)
        if last <= first:
            return False
        loud = self._frame_db[first:last] > max(self._threshold_db(), SPEECH_FLOOR_DBFS)
        return bool(np.any(loud))

    # ----------------------------------------------------------------- decoding
    def _prompt(self) -> str:
        """The last settled words, so the next pass continues in the same style.

        Built from timed words (never raw segment text), so a hallucinated run of dots or a
        repeated phrase cannot be fed back and snowball through the rest of the answer.
        """
        words = [w.word.strip() for w in self._committed[-self.options.prompt_words :]]
        text = " ".join(w for w in words if w)
        return text or self._context_prompt

    def _decode_tail(
        self,
        buffer: np.ndarray,
        start: int,
        end: int,
        *,
        recover: bool,
        reference: _Pass | None = None,
    ) -> tuple[tuple[Word, ...], float]:
        """Words heard in [start, end) that are not settled yet, and until when they hear all.

        The second value is ``end`` in seconds when the words account for all the speech, else
        the moment the first speech they leave out begins (``start`` when that cannot be
        placed): nothing after it may be settled from this decode.

        ``reference`` is the previous pass over the tail: when it began at ``start`` too, a
        decode that hears clearly fewer words in the audio both covered is doubted as well.
        Words in silence are dropped (tiny models fill a silent tail with "Thank you."), and so
        are words at the seam that the last settled words already hold.
        """
        threshold = self._threshold_db()
        if not _has_speech(buffer[start:end], threshold):
            return (), end / SAMPLE_RATE
        began = time.perf_counter()
        prompt = self._prompt()
        words = self._decode_once(buffer, start, end, prompt, threshold)
        doubt, _ = self._doubt(words, start, end, threshold, reference)
        if prompt and (
            doubt > UNHEARD_TOLERANCE_S or self._skipped_opening(words, start, end, threshold)
        ):
            # The prompt made Whisper skip speech it took for a repeat of the prompt (it
            # happens with repetitive answers, and the aligner then stretches the next words
            # over the skipped ones): decode unprompted, keep what hears more.
            retry = self._decode_once(buffer, start, end, "", threshold)
            self.stats["unprompted_retries"] += 1
            if self._doubt(retry, start, end, threshold, reference)[0] < doubt:
                words = retry
        if recover:
            words = self._recover_dropped_ending(buffer, words, start, end, threshold)
        elapsed = time.perf_counter() - began
        self.stats["passes"] += 1
        self.stats["decode_s"] = round(self.stats["decode_s"] + elapsed, 3)
        self.stats["slowest_pass_s"] = round(max(self.stats["slowest_pass_s"], elapsed), 3)
        words = _drop_seam_repeats(self._committed, words, self._loud_s)
        doubt, gap_s = self._doubt(words, start, end, threshold, reference)
        if doubt <= UNHEARD_TOLERANCE_S:
            return words, end / SAMPLE_RATE
        return words, start / SAMPLE_RATE if gap_s is None else gap_s

    def _doubt(
        self,
        words: tuple[Word, ...],
        start: int,
        end: int,
        threshold: float,
        reference: _Pass | None,
    ) -> tuple[float, float | None]:
        """Seconds of speech a decode seems to leave out, and where the first of it begins.

        Unheard speech, plus the words of the previous pass from the same start that this
        decode skipped before going on with words both heard (each counted as one word's
        worth of speech): "ask what you can do" before, "can do for your country" now.
        """
        unheard_s, gap_s = self._unheard_speech(words, start, end, threshold)
        if reference is None or reference.start != start or not reference.words:
            return unheard_s, gap_s
        until_s = min(reference.end, end) / SAMPLE_RATE - 0.2
        heard_before = tuple(w for w in reference.words if (w.start + w.end) / 2 < until_s)
        missing, resumed = _skipped_words(heard_before, words)
        if missing == 0:
            return unheard_s, gap_s
        skip_s = words[resumed].start
        return unheard_s + MAX_WORD_S * missing, skip_s if gap_s is None else min(gap_s, skip_s)

    def _recover_dropped_ending(
        self,
        buffer: np.ndarray,
        words: tuple[Word, ...],
        start: int,
        end: int,
        threshold: float,
    ) -> tuple[Word, ...]:
        """Decode again what follows the last word when Whisper stopped before the speech did.

        Greedy tiny models sometimes end a window early ("And so my fellow American.") and
        leave seconds of speech without words; losing them silently is the worst outcome a
        transcript can have, so the audio after the last heard word gets one pass of its own.
        """
        resume_s = words[-1].end if words else start / SAMPLE_RATE
        resume = max(start, int(resume_s * SAMPLE_RATE))
        if end - resume < SAMPLE_RATE or not self._speech_after(resume, end):
            return words
        if self._unheard_speech(words, start, end, threshold)[0] <= UNHEARD_TOLERANCE_S:
            return words
        rest = self._decode_once(buffer, resume, end, "", threshold)
        rest = tuple(w for w in rest if w.start >= resume_s - 0.05)
        if rest:
            self.stats["recovered_endings"] = self.stats.get("recovered_endings", 0) + 1
        return words + rest

    def _decode_once(
        self, buffer: np.ndarray, start: int, end: int, prompt: str, threshold: float
    ) -> tuple[Word, ...]:
        began_cpu = time.process_time()
        segments, language = self._transcriber.decode(
            buffer[start:end],
            start / SAMPLE_RATE,
            initial_prompt=prompt or None,
            language=self._language,
            options=STREAM_DECODING,
        )
        self.stats["decode_cpu_s"] = round(
            self.stats["decode_cpu_s"] + time.process_time() - began_cpu, 3
        )
        if self._language is None:
            self._language = language
        words = [w for segment in segments for w in segment.words]
        voiced = tuple(w for w in words if self._is_voiced(w, threshold))
        heard = _drop_squeezed_runs(voiced, self._committed[-SQUEEZED_LOOKBACK:])
        if len(heard) < len(voiced):
            dropped = len(voiced) - len(heard)
            self.stats["squeezed_words"] = self.stats.get("squeezed_words", 0) + dropped
        return heard

    def _skipped_opening(
        self, words: tuple[Word, ...], start: int, end: int, threshold: float
    ) -> bool:
        """Whether a third of a second of speech precedes the first word heard.

        The typical way a prompt misleads Whisper: the tail opens with words that resemble the
        end of the prompt ("... for you, ask what you ...") and it skips them as a repeat.
        """
        first = start // FRAME
        until_s = words[0].start - 0.15 if words else end / SAMPLE_RATE
        last = min(int(until_s / FRAME_S), self._frame_db.size)
        if last <= first:
            return False
        loud = self._frame_db[first:last] > max(threshold, SPEECH_FLOOR_DBFS)
        return int(np.count_nonzero(loud)) * FRAME_S >= 0.33

    def _unheard_speech(
        self, words: tuple[Word, ...], start: int, end: int, threshold: float
    ) -> tuple[float, float | None]:
        """Seconds of speech in [start, end) the words do not account for, and where it begins.

        Speech is unheard when it lies farther than 0.5 s from any word, or when one word's
        span holds more than ``WORD_LOUD_CAP_S`` of it (Whisper's aligner stretches the word
        after a skipped phrase over that phrase: "can do for [you, ask what you can do for]
        your country" came back as "for your country" with "country" two seconds long). More
        speech than the words could fill at all also counts, though it has no place.
        """
        first, last = start // FRAME, min(end // FRAME, self._frame_db.size)
        if last <= first:
            return 0.0, None
        loud = self._frame_db[first:last] > max(threshold, SPEECH_FLOOR_DBFS)
        unheard = loud.copy()
        margin, cap = int(0.5 / FRAME_S), int(WORD_LOUD_CAP_S / FRAME_S)
        for word in words:
            lo = max(0, int(word.start / FRAME_S) - first)
            hi = min(len(loud), int(word.end / FRAME_S) - first + 1)
            unheard[max(0, lo - margin) : max(0, hi + margin)] = False
            inside = np.flatnonzero(loud[lo:hi]) + lo if hi > lo else np.zeros(0, dtype=int)
            if inside.size > cap:
                unheard[inside[cap:]] = True
        too_few = float(np.count_nonzero(loud)) * FRAME_S - MAX_WORD_S * len(words)
        seconds = max(float(np.count_nonzero(unheard)) * FRAME_S, too_few)
        gap_s = (first + int(np.argmax(unheard))) * FRAME_S if np.any(unheard) else None
        return seconds, gap_s

    def _loud_s(self, begin_s: float, end_s: float) -> float:
        """Seconds of speech frames in [begin_s, end_s)."""
        first = max(0, int(begin_s / FRAME_S))
        last = min(int(end_s / FRAME_S), self._frame_db.size)
        if last <= first:
            return 0.0
        loud = self._frame_db[first:last] > max(self._threshold_db(), SPEECH_FLOOR_DBFS)
        return float(np.count_nonzero(loud)) * FRAME_S

    def _is_voiced(self, word: Word, threshold: float) -> bool:
        """Whether any loud frame lies under (or right beside) the word."""
        first = max(0, int(word.start / FRAME_S) - 3)
        last = min(self._frame_db.size, int(word.end / FRAME_S) + 4)
        if last <= first:
            return True  # beyond the analysed frames (the last partial frame): keep it
        loud = self._frame_db[first:last] > max(threshold, SPEECH_FLOOR_DBFS)
        return bool(np.any(loud))


def _norm(word: Word) -> str:
    return _NORM_RE.sub("", word.word.lower())


def _common_prefix(a: tuple[Word, ...], b: tuple[Word, ...]) -> int:
    """How many leading words two passes agree on (compared without case or punctuation)."""
    count = 0
    for left, right in zip(a, b, strict=False):
        if _norm(left) != _norm(right) or not _norm(left):
            break
        count += 1
    return count


def _skipped_words(before: tuple[Word, ...], now: tuple[Word, ...]) -> tuple[int, int]:
    """Words of ``before`` that ``now`` leaves out and then goes on after, and where it resumes.

    Aligned on text. Words ``before`` ends with and ``now`` does not repeat are not counted:
    the end of a window is where a pass is least sure, so it may differ there. Returns
    (skipped words, index in ``now`` of the first word heard after the first skip).
    """
    ours = [_norm(w) for w in now]
    matcher = difflib.SequenceMatcher(None, [_norm(w) for w in before], ours, autojunk=False)
    skipped, resumed, pending = 0, len(now), 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if pending and resumed == len(now):
                resumed = j1
            skipped, pending = skipped + pending, 0
        elif tag in ("delete", "replace"):
            pending += max(0, (i2 - i1) - (j2 - j1))
    return skipped, min(resumed, max(0, len(now) - 1))


def _drop_squeezed_runs(words: tuple[Word, ...], before: list[Word]) -> tuple[Word, ...]:
    """Drop runs of words the aligner started at one instant that repeat what was just said.

    After a sentence that ends like the prompt, Whisper may go on to repeat it (JFK, second
    time: "... for your country. And so my fellow Americans ask not to ask what you can do
    for your country.") and the aligner, finding no audio for it, starts all sixteen words at
    the same instant at the end of the real sentence (the last one taking what is left of
    it). Settled, they double a clause. Spoken words take time: ``SQUEEZED_RUN`` words that
    all start within ``SQUEEZED_WORD_S``, followed by a word heard later, hold none of the
    audio. The aligner also squeezes real words at a segment boundary ("to do so. And ..."),
    so a run is dropped only when most of it repeats, in runs of two words or more, the last
    ``SQUEEZED_LOOKBACK`` words (``before``: the settled ones, then this decode's). A run at
    the very end of a decode is kept: there the audio may simply stop inside the words.
    """
    keep: list[Word] = []
    run: list[Word] = []

    def close_run() -> None:
        recent = [_norm(w) for w in (list(before) + keep)[-SQUEEZED_LOOKBACK:]]
        if len(run) < SQUEEZED_RUN or not _repeats(recent, [_norm(w) for w in run]):
            keep.extend(run)

    for word in words:
        if run and word.start - run[0].start < SQUEEZED_WORD_S:
            run.append(word)
            continue
        if run:
            close_run()
        run = [word]
    keep.extend(run)
    return tuple(keep)


def _repeats(recent: list[str], run: list[str]) -> bool:
    """Whether at least 60% of ``run`` matches ``recent`` in stretches of two words or more."""
    matcher = difflib.SequenceMatcher(None, recent, run, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
    return matched >= 0.6 * len(run)


def _count_while(words: tuple[Word, ...], keep: Callable[[Word], bool]) -> int:
    """How many leading words satisfy ``keep``."""
    count = 0
    for word in words:
        if not keep(word):
            break
        count += 1
    return count


def _drop_seam_repeats(
    committed: list[Word], words: tuple[Word, ...], loud_s: Callable[[float, float], float]
) -> tuple[Word, ...]:
    """Drop leading words that repeat the last settled ones right at the cut.

    A cut between two words close together can leave the end of the settled word in the next
    pass, which then hears it again; matching 1..4 words on text near the seam removes it.
    Only an echo is dropped: words spanning more than ``_SEAM_ECHO_S`` of speech (``loud_s``)
    after the seam were said again ("ask what you can do for you, for you"), and are kept.
    """
    if not committed or not words:
        return words
    seam = committed[-1].end
    if words[0].start > seam + 1.0:
        return words
    for size in range(min(_SEAM_NGRAM, len(committed), len(words)), 0, -1):
        tail = [_norm(w) for w in committed[-size:]]
        head = [_norm(w) for w in words[:size]]
        if tail == head and loud_s(seam, words[size - 1].end) <= _SEAM_ECHO_S:
            return words[size:]
    return words


def _ordered(committed: list[Word], words: tuple[Word, ...]) -> list[Word]:
    """Settled words with a leading space and times that never run backwards."""
    previous = committed[-1].start if committed else 0.0
    result: list[Word] = []
    for word in words:
        start = max(word.start, previous)
        text = word.word if word.word.startswith(" ") else " " + word.word
        result.append(Word(start, max(word.end, start), text))
        previous = start
    return result


def _join(words: Iterable[Word]) -> str:
    return "".join(w.word for w in words).strip()


def _segments(words: list[Word]) -> tuple[Segment, ...]:
    """Group settled words into segments: a sentence end or a long silence closes one."""
    segments: list[Segment] = []
    current: list[Word] = []

    def close() -> None:
        if current:
            text = _join(current)
            segments.append(Segment(current[0].start, current[-1].end, text, tuple(current)))
            current.clear()

    for word in words:
        if current and word.start - current[-1].end > SEGMENT_GAP_S:
            close()
        current.append(word)
        if word.word.rstrip().endswith((".", "?", "!")):
            close()
    close()
    return tuple(segments)


def _has_speech(samples: np.ndarray, threshold_db: float, min_frames: int = 3) -> bool:
    """``min_frames`` 30 ms frames louder than both the adaptive threshold and the floor."""
    frames = len(samples) // FRAME
    if frames == 0:
        return False
    power = np.mean(samples[: frames * FRAME].reshape(frames, FRAME).astype(np.float64) ** 2, 1)
    db = 10.0 * np.log10(power + 1e-12)
    return int(np.count_nonzero(db > max(threshold_db, SPEECH_FLOOR_DBFS))) >= min_frames
