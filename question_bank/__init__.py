"""The bundled question bank: YAML files only, installed as package data.

This folder is a package so that a built wheel carries the YAML files and the app finds them with
``importlib.resources`` wherever it is installed (see ``engine.paths.bundled_question_bank_dir``).
There is no code here; the format is described in this folder's README.md.
"""
