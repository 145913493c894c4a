"""The library tests use the store's small and read-only filesystems too."""

from tests.engine.store.conftest import tmpfs  # noqa: F401 - a fixture, shared by import
