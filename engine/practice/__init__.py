"""The practice loop: what to practise next, retries of one question, timed interview loops.

Everything here reads the store and the question bank and never touches Qt; the desktop's
"Today's practice" panel and ``mockinterview plan`` show the same ``Plan``.
"""
