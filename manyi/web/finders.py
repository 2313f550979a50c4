"""Serve a chosen few files from npm's node_modules as static files.

The front-end packages are installed by ``npm ci`` from package.json; this finder
exposes only the built files we use, so ``collectstatic`` does not copy whole
package trees.
"""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path -> path inside node_modules
VENDOR_FILES = {
    "vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/echarts.min.js": "echarts/dist/echarts.min.js",
    "vendor/tabler.min.css": "@tabler/core/dist/css/tabler.min.css",
    "vendor/tabler.min.css.map": "@tabler/core/dist/css/tabler.min.css.map",
}


class VendorStorage(FileSystemStorage):
    """Names each chosen node_modules file by its static path."""

    def path(self, name: str) -> str:
        return str(settings.NODE_MODULES / VENDOR_FILES[name])


class NodeModulesFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = VendorStorage(location=settings.NODE_MODULES)

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def _present(self) -> list[str]:
        return [
            name for name in VENDOR_FILES if (settings.NODE_MODULES / VENDOR_FILES[name]).exists()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        found = self.storage.path(path) if path in self._present() else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns: Any) -> Any:
        for name in self._present():
            yield name, self.storage
