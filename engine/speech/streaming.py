"""Transcribe an answer while it is being spoken, so only the last few seconds remain at the end.

Transcribing a 3-minute answer in one go costs several seconds on two cores; the user would stare
at a spinner right when they want their report. A ``StreamingSession`` instead receives audio
chunks as the microphone delivers them and a background thread cuts the audio into *stretches*
that end at real pauses, transcribing each finished stretch at once. ``finish()`` then only has
to transcribe what came after the last pause (often nothing: people stop talking before they
press "done").

How stretches are cut, and why (each choice measured on a 2.5-minute answer, bench/):
- Energy on 30 ms frames against an adaptive threshold (between the noise floor and the speech
  level seen so far) finds pauses without a second model.
- A stretch is at least ``min_stretch_s`` long: Whisper needs context; 4-second stretches cost
  several WER points against one batch pass, 8-second ones about half a point.
- The pause needed to cut shrinks from ``long_pause_s`` to ``short_pause_s`` as the stretch
  grows, and at ``max_stretch_s`` the stretch is cut at its quietest frame: a speaker who never
  pauses still never leaves more than one stretch for ``finish()``.
- Cuts fall in the middle of a pause. Whisper is given ``right_context_s`` of the audio after
  the cut (in one long pass it always hears what follows) and only words centred before the cut
  are kept, so each word lands in exactly one stretch: none lost or duplicated at a cut.
- Each stretch is prompted with the end of the committed text (timed words only, so a
  hallucinated run of dots can never snowball), so style and vocabulary carry over.
- Each stretch is decoded once, greedily, with a token cap (``STREAM_DECODING``).
- When transcription falls behind (a large model, a busy machine), the next stretch runs to the
  *last* usable pause within ``max_stretch_s``: fewer, longer passes catch up faster.
- Previews of the unfinished tail (the live transcript) are spaced by four times the cost of a
  pass, and one runs as soon as the speaker pauses: if they stop now, ``finish()`` adopts it
  instead of decoding again, so the wait after "done" is often zero.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import TranscriptionError
from engine.speech.audio_io import SAMPLE_RATE
from engine.speech.transcriber import FRAME, SPEECH_FLOOR_DBFS, DecodeOptions
from engine.transcript import Segment, Transcript

if TYPE_CHECKING:
    from engine.speech.transcriber import Transcriber

FRAME_S = FRAME / SAMPLE_RATE
# Stretches are decoded once, greedily, with a token cap: the temperature fallback that suits a
# whole file made single unclear stretches cost 5-12 s here (measured with tiny.en), which is
# exactly the backlog a user would wait for at the end.
MAX_WORD_S = 0.6  # loud time one spoken word accounts for, at most (slow, long words)
STREAM_DECODING = DecodeOptions(temperatures=(0.0,), tokens_per_second=6.0)


@dataclass(frozen=True)
class StreamingOptions:
    """Tuning of the stretch cutter (defaults measured with tiny.en on two cores).

    Attributes:
        min_stretch_s: shortest stretch worth a Whisper pass (context matters for accuracy).
        max_stretch_s: longest stretch before a forced cut (Whisper's window is 30 s).
        long_pause_s: pause needed to cut right after ``min_stretch_s``.
        short_pause_s: pause accepted as the stretch approaches ``max_stretch_s``.
        tentative: run preview passes for ``partial()`` (off for batch-like uses).
        tentative_every_s: least new audio between two previews.
        prompt_words: committed words given to Whisper as the prompt of the next stretch.
        cut_at: where inside a pause the cut falls (0 = right after the last word).
        right_context_s: audio after the cut that Whisper hears before a stretch is settled.
    """

    min_stretch_s: float = 8.0
    max_stretch_s: float = 24.0
    long_pause_s: float = 0.45
    short_pause_s: float = 0.15
    tentative: bool = True
    tentative_every_s: float = 2.0
    prompt_words: int = 40
    cut_at: float = 0.5
    right_context_s: float = 2.0


@dataclass(frozen=True)
class PartialTranscript:
    """What a live transcript shows: settled text plus a tail that may still change."""

    committed: str
    tentative: str

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.committed, self.tentative) if part)


@dataclass
class _Tentative:
    start: int
    end: int
    prompt: str
    segments: list[Segment] = field(default_factory=list)


class StreamingSession:
    """One spoken answer being transcribed while it arrives (see the module docstring).

    ``feed`` may be called from any thread (an audio callback's consumer, typically) and never
    waits for transcription. ``finish``/``cancel`` end the session; both are idempotent.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        context_prompt: str | None = None,
        **settings: Any,
    ) -> None:
        self._transcriber = transcriber
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
        self._committed: list[Segment] = []
        self._stretch_start = 0
        self._tentative: _Tentative | None = None
        self._frame_db = np.zeros(0, dtype=np.float32)
        self._language: str | None = None
        self._last_pass_s = 0.3
        self.stats: dict[str, float] = {
            "stretches": 0,
            "tentative_passes": 0,
            "forced_cuts": 0,
            "reused_tail": 0,
            "decode_s": 0.0,
            "slowest_pass_s": 0.0,
            "unprompted_retries": 0,
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
            committed = " ".join(s.text for s in self._committed if s.text)
            tail = self._tentative
            tentative = " ".join(s.text for s in tail.segments if s.text) if tail else ""
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
        segments = tuple(self._committed)
        return Transcript(
            segments=segments,
            language=self._language or "en",
            duration_s=self._total / SAMPLE_RATE,
            model=self._transcriber.model_name,
            extra={"streaming": dict(self.stats)},
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
            if finishing and self._tail_covers(buffer, total):
                self._commit(buffer, total, reuse=True)  # the preview already has it all
                return
            while not self._cancelled:
                cut, forced = self._find_cut(total)
                if cut is None:
                    break
                wanted = cut + int(self.options.right_context_s * SAMPLE_RATE)
                if total < wanted and not finishing:
                    break  # wait until Whisper can hear what follows the cut
                self.stats["forced_cuts"] += int(forced)
                self._commit(buffer, cut, context_end=min(total, wanted))
            if self._cancelled:
                return
            if finishing:
                self._commit_tail(buffer, total)
                return
            if self._wants_tentative(total):
                self._tentative_pass(buffer, total)

    # ----------------------------------------------------------------- cutting
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

    def _find_cut(self, total: int) -> tuple[int | None, bool]:
        """Sample index ending the next stretch, and whether it was forced (no pause)."""
        opts = self.options
        first = self._stretch_start // FRAME
        last = min(total // FRAME, self._frame_db.size)
        min_frames = int(opts.min_stretch_s / FRAME_S)
        max_frames = int(opts.max_stretch_s / FRAME_S)
        if last - first < min_frames:
            return None, False
        silent = self._frame_db[first:last] < self._threshold_db()
        # Behind (a slow model): cut at the last usable pause, fewer longer passes catch up.
        behind = (last - first) * FRAME_S > 2 * opts.min_stretch_s + opts.right_context_s
        best: int | None = None
        for run_start, run_end in _runs(silent):
            midpoint = run_start + int((run_end - run_start) * self.options.cut_at)
            if midpoint < min_frames or midpoint > max_frames:
                continue
            grown = (run_start - min_frames) / max(1, max_frames - min_frames)
            needed_s = opts.long_pause_s - (opts.long_pause_s - opts.short_pause_s) * grown
            if (run_end - run_start) * FRAME_S >= needed_s:
                best = midpoint
                if not behind:
                    break  # the first pause: short stretches keep the live text fresh
        if best is not None:
            return (first + best) * FRAME, False
        if last - first < max_frames:
            return None, False
        window = self._frame_db[first + min_frames : first + max_frames]
        smooth = np.convolve(window, np.ones(5, dtype=np.float32) / 5, mode="same")
        quietest = int(np.argmin(smooth))
        return (first + min_frames + quietest) * FRAME, True

    def _wants_tentative(self, total: int) -> bool:
        """Run a preview pass on the unfinished tail now?

        Regularly while the user speaks (spaced by how long a pass takes, so a slow model does
        not fall behind), and at once when the speaker has just paused: if they stop now,
        ``finish()`` adopts that pass and returns without decoding anything.
        """
        opts = self.options
        if not opts.tentative:
            return False
        pending = (total - self._stretch_start) / SAMPLE_RATE
        if pending < 0.5:
            return False
        done_until = self._tentative.end if self._tentative else self._stretch_start
        fresh = (total - done_until) / SAMPLE_RATE
        # Previews are spaced by 4x the cost of a pass: on a loaded machine they back off
        # instead of starving the passes that settle text.
        if fresh >= max(opts.tentative_every_s, 4.0 * self._last_pass_s) and pending >= 1.0:
            return True
        return self._speech_after(done_until, total) and self._ends_in_pause(total)

    def _ends_in_pause(self, total: int) -> bool:
        frames = max(3, int(self.options.short_pause_s / FRAME_S))
        last = min(total // FRAME, self._frame_db.size)
        if last - self._stretch_start // FRAME < frames:
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
        """The last words already committed, so the next stretch continues in the same style.

        Built from timed words (never raw segment text), so a hallucinated run of dots or a
        repeated phrase cannot be fed back and snowball through the rest of the answer.
        """
        words: list[str] = []
        for segment in reversed(self._committed):
            words[:0] = [w.word.strip() for w in segment.words if w.word.strip()]
            if len(words) >= self.options.prompt_words:
                break
        text = " ".join(words[-self.options.prompt_words :])
        return text or self._context_prompt

    def _decode(self, buffer: np.ndarray, start: int, end: int, prompt: str) -> list[Segment]:
        """Decode [start, end), dropping segments that lie entirely in silence.

        The whole stretch is decoded, pause margins included (trimming them measurably hurt
        accuracy), but tiny models fill a silent tail with invented phrases ("Thank you."):
        a segment none of whose frames is loud enough to be speech is discarded.
        """
        stretch = buffer[start:end]
        threshold = self._threshold_db()
        if not _has_speech(stretch, threshold):
            return []
        began = time.perf_counter()
        segments, language = self._decode_once(stretch, start, prompt, threshold)
        if prompt and self._unheard_speech_s(segments, start, end, threshold) > 1.0:
            # The prompt made Whisper skip speech it took for a repeat of the prompt (it
            # happens with repetitive answers): decode unprompted, keep what hears more.
            retry, language = self._decode_once(stretch, start, "", threshold)
            self.stats["unprompted_retries"] += 1
            if self._unheard_speech_s(retry, start, end, threshold) < self._unheard_speech_s(
                segments, start, end, threshold
            ):
                segments = retry
        segments = self._recover_dropped_ending(buffer, segments, start, end, threshold)
        self._last_pass_s = time.perf_counter() - began
        self.stats["decode_s"] = round(self.stats["decode_s"] + self._last_pass_s, 3)
        slowest = max(self.stats["slowest_pass_s"], self._last_pass_s)
        self.stats["slowest_pass_s"] = round(slowest, 3)
        if self._language is None:
            self._language = language
        return segments

    def _recover_dropped_ending(
        self,
        buffer: np.ndarray,
        segments: list[Segment],
        start: int,
        end: int,
        threshold: float,
    ) -> list[Segment]:
        """Decode again what follows the last word when Whisper stopped before the speech did.

        Greedy tiny models sometimes end a window early ("And so my fellow American.") and
        leave seconds of speech without words; losing them silently is the worst outcome a
        transcript can have, so the audio after the last heard word gets one pass of its own.
        """
        words = [w for segment in segments for w in segment.words]
        resume_s = words[-1].end if words else start / SAMPLE_RATE
        resume = max(start, int(resume_s * SAMPLE_RATE))
        if end - resume < SAMPLE_RATE or not self._speech_after(resume, end):
            return segments
        if self._unheard_speech_s(segments, start, end, threshold) <= 1.0:
            return segments
        rest, _ = self._decode_once(buffer[resume:end], resume, "", threshold)
        rest = [seg for seg in rest if seg.words and seg.words[0].start >= resume_s - 0.05]
        if rest:
            self.stats["recovered_endings"] = self.stats.get("recovered_endings", 0) + 1
        return segments + rest

    def _decode_once(
        self, stretch: np.ndarray, start: int, prompt: str, threshold: float
    ) -> tuple[list[Segment], str]:
        segments, language = self._transcriber.decode(
            stretch,
            start / SAMPLE_RATE,
            initial_prompt=prompt or None,
            language=self._language,
            options=STREAM_DECODING,
        )
        return [seg for seg in segments if self._is_voiced(seg, threshold)], language

    def _unheard_speech_s(
        self, segments: list[Segment], start: int, end: int, threshold: float
    ) -> float:
        """Seconds of speech in [start, end) that the decoded words do not account for.

        Either loud frames farther than 0.5 s from any word, or more speech than the words
        could fill (Whisper's aligner can stretch one word over a skipped sentence).
        """
        first, last = start // FRAME, min(end // FRAME, self._frame_db.size)
        if last <= first:
            return 0.0
        loud = self._frame_db[first:last] > max(threshold, SPEECH_FLOOR_DBFS)
        heard = np.zeros_like(loud)
        margin = int(0.5 / FRAME_S)
        for word in (w for segment in segments for w in segment.words):
            lo = max(0, int(word.start / FRAME_S) - first - margin)
            hi = min(len(heard), int(word.end / FRAME_S) - first + margin + 1)
            if hi > lo:
                heard[lo:hi] = True
        words = sum(len(segment.words) for segment in segments)
        too_few = float(np.count_nonzero(loud)) * FRAME_S - MAX_WORD_S * words
        return max(float(np.count_nonzero(loud & ~heard)) * FRAME_S, too_few)

    def _is_voiced(self, segment: Segment, threshold: float) -> bool:
        first = max(0, int(segment.start / FRAME_S) - 2)
        last = min(self._frame_db.size, int(segment.end / FRAME_S) + 3)
        if last <= first:
            return True  # beyond the analysed frames (the last partial frame): keep it
        loud = self._frame_db[first:last] > max(threshold, SPEECH_FLOOR_DBFS)
        return int(np.count_nonzero(loud)) >= 2

    def _commit(
        self,
        buffer: np.ndarray,
        end: int,
        *,
        context_end: int | None = None,
        reuse: bool = False,
    ) -> None:
        """Settle the stretch [stretch_start, end).

        Whisper hears up to ``context_end`` (a little of what follows the cut, as it does in
        one long pass) and only the words centred before the cut are kept; the cut lies in a
        pause, so each word lands on exactly one side. With ``reuse`` a preview that already
        covers the stretch is adopted instead of decoding again.
        """
        start = self._stretch_start
        tail = self._tentative
        prompt = self._prompt()
        if reuse and tail is not None and self._tail_covers(buffer, end):
            segments = tail.segments
            self.stats["reused_tail"] += 1
        else:
            decoded = self._decode(buffer, start, max(end, context_end or end), prompt)
            segments = _words_before(decoded, end / SAMPLE_RATE)
        with self._cond:
            self._committed.extend(segments)
            self._stretch_start = end
            self._tentative = None
        self.stats["stretches"] += 1

    def _tail_covers(self, buffer: np.ndarray, end: int) -> bool:
        """Whether the tentative pass holds exactly the words of [stretch_start, end).

        True when it decoded that audio, or when all that lies between its end and ``end`` is
        silence: the preview ran at the start of a pause and the cut (or the stop) landed
        elsewhere in the same pause.
        """
        tail = self._tentative
        if tail is None or tail.start != self._stretch_start:
            return False
        low, high = sorted((tail.end, end))
        gap = buffer[low:high]
        if high != low and _has_speech(gap, self._threshold_db(), min_frames=1):
            return False
        # A preview that missed words (Whisper stopped early) must not become the transcript.
        return self._unheard_speech_s(tail.segments, tail.start, end, self._threshold_db()) <= 1.0

    def _commit_tail(self, buffer: np.ndarray, total: int) -> None:
        if total > self._stretch_start:
            self._commit(buffer, total)

    def _tentative_pass(self, buffer: np.ndarray, total: int) -> None:
        """Preview the unsettled tail, without the committed text as prompt.

        Prompted, tiny.en often skips the timestamps that end a stretch and decodes the window
        a second time: up to four times slower (measured), right when the user may stop.
        """
        start = self._stretch_start
        prompt = self._context_prompt
        segments = self._decode(buffer, start, total, prompt)
        self.stats["tentative_passes"] += 1
        with self._cond:
            self._tentative = _Tentative(start, total, prompt, segments)


def _words_before(segments: list[Segment], limit_s: float) -> list[Segment]:
    """The segments cut down to the words whose middle lies before ``limit_s``."""
    kept: list[Segment] = []
    for segment in segments:
        words = tuple(w for w in segment.words if (w.start + w.end) / 2 < limit_s)
        if len(words) == len(segment.words):
            kept.append(segment)
        elif words:
            text = "".join(w.word for w in words).strip()
            kept.append(Segment(words[0].start, words[-1].end, text, words))
    return kept


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) index pairs of the True runs in a boolean array."""
    if mask.size == 0:
        return []
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _has_speech(samples: np.ndarray, threshold_db: float, min_frames: int = 3) -> bool:
    """``min_frames`` 30 ms frames louder than both the adaptive threshold and the floor."""
    frames = len(samples) // FRAME
    if frames == 0:
        return False
    power = np.mean(samples[: frames * FRAME].reshape(frames, FRAME).astype(np.float64) ** 2, 1)
    db = 10.0 * np.log10(power + 1e-12)
    return int(np.count_nonzero(db > max(threshold_db, SPEECH_FLOOR_DBFS))) >= min_frames
