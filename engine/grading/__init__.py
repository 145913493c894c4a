"""Grading: the offline engine (default) and the LLM engine behind one ``Grader`` interface."""
