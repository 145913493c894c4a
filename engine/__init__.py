"""mockinterview's engine: speech, questions, grading, interviewer, store and reports.

Pure Python. Nothing below this package imports Qt, so every capability also runs headless from
the ``mockinterview`` command line (a test guards this).
"""

__version__ = "0.1.0"
