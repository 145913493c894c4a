"""Files the app ships besides code (demo answers, the icon), installed as package data.

A package rather than a loose folder so a wheel carries it and ``importlib.resources`` finds it
wherever the app is installed (see ``engine.paths.asset_path``). There is no code here.
"""
