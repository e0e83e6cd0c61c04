"""GraphiQL served from the package: government networks are often offline, and Strawberry's
stock page loads React and GraphiQL from a CDN (offline it shows only "Loading...")."""

from __future__ import annotations

import orjson
from starlette.responses import HTMLResponse

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tongban 通办 — GraphiQL</title>
<link rel="stylesheet" href="/static/graphiql/graphiql.min.css">
<style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="/static/graphiql/react.production.min.js"></script>
<script src="/static/graphiql/react-dom.production.min.js"></script>
<script src="/static/graphiql/graphiql.min.js"></script>
<script id="settings" type="application/json">{settings}</script>
<script>
const config = JSON.parse(document.getElementById("settings").textContent);
const fetcher = GraphiQL.createFetcher({{ url: "/graphql" }});
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {{
    fetcher,
    defaultQuery: config.query,
    defaultHeaders: config.headers,
    shouldPersistHeaders: false,  // the page brings the live key; a stored one may be revoked
  }})
);
</script>
</body>
</html>
"""


def graphiql_page(default_query: str, default_headers: str) -> HTMLResponse:
    """``default_headers`` is JSON text shown in the headers pane (the demo puts a key there)."""
    settings = orjson.dumps({"query": default_query, "headers": default_headers}).decode()
    return HTMLResponse(_PAGE.format(settings=settings.replace("</", "<\\/")))
