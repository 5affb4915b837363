"""The only URL fetcher WeasyPrint is given: data: URLs and Groundwork's own assets.

WeasyPrint's default fetcher reads local files and follows HTTP redirects,
so anything a user typed that reached the HTML could make the renderer read
/etc/passwd or call an internal address. This fetcher refuses every scheme
but `data:` and the private `groundwork-asset:` scheme, which maps a bare file
name to app/static/report/ and nothing else.
"""

from __future__ import annotations

import logging
import re
import urllib.request

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..paths import REPORT_ASSETS

ASSET_DIR = REPORT_ASSETS
ASSET_SCHEME = "groundwork-asset:"
_ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")
MIME = {".css": "text/css", ".ttf": "font/ttf", ".woff2": "font/woff2", ".svg": "image/svg+xml",
        ".png": "image/png"}

log = logging.getLogger(__name__)


class BlockedURL(ValueError):
    """A URL the report may not fetch."""


class SafeFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "groundwork-asset"), allow_redirects=False)
        #: Every URL asked for, allowed or not: the security tests read it.
        self.requested: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.requested.append(url)
        if url.startswith("data:"):
            # Only data: reaches this line, and DataHandler decodes nothing else.
            request = urllib.request.Request(url)  # noqa: S310
            with urllib.request.DataHandler().data_open(request) as response:
                return URLFetcherResponse(url, response.read(), {"Content-Type": response.headers["Content-Type"]})
        if url.startswith(ASSET_SCHEME):
            name = url.removeprefix(ASSET_SCHEME)
            path = ASSET_DIR / name
            if _ASSET_NAME.match(name) and path.is_file() and path.resolve().parent == ASSET_DIR:
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": MIME.get(path.suffix, "")})
        log.warning("PDF report: blocked fetch of %.200r", url)
        raise BlockedURL(f"blocked: {url[:200]}")
