"""Controllers: the logic behind screens, running engine work off the UI thread."""
