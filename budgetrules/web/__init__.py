"""`budgetrules serve`: the engine on the web — a JSON API described by OpenAPI (/api/openapi.json)
and pages for budget officers and auditors (Virement, Audit, Credits, Explain), French by default,
English with `?lang=en`, working with no network access (every asset is in `static/`).

    state.py    the server's frozen settings: COGs, scenario folders, safe scenario loading
    answers.py  request parameters -> documents (the services the CLI calls)
    app.py      the FastAPI application: error handling, limits, security headers, OpenAPI
    api.py      the JSON routes (/api/...)
    pages.py    the pages' routes and downloads; views.py their HTML
    schemas.py  the OpenAPI shapes of the JSON documents

FastAPI and uvicorn are imported only here (never on the command line's other paths). See docs/web.md."""
