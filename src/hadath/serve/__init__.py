"""``hadath serve``: a read-only web application over the store.

* :mod:`hadath.serve.api`: the JSON API under ``/api/`` (FastAPI; OpenAPI docs at ``/docs``);
* :mod:`hadath.serve.views`: the shapes the API returns, built from the store's rows;
* :mod:`hadath.serve.app`: the application (pages, static files, errors as JSON, security headers);
* ``static/``: the pages (HTML, CSS, JavaScript) and the vendored libraries and base map.

Pages are static HTML filled by JavaScript from the API; article text only ever reaches the page
as text nodes (never as HTML), and a Content-Security-Policy forbids inline scripts.
"""

from .app import allowed_hosts, check_port, create_app

__all__ = ["allowed_hosts", "check_port", "create_app"]
