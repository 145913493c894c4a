"""The ``mockinterview`` command: everything the window does, headless."""
