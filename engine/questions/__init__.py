"""The question bank: bundled YAML files plus the user's own, validated with file:line errors."""
