"""Command serve: the engine on the web — the JSON API (/api, described at /api/openapi.json) and the
pages for budget officers and auditors, served by uvicorn on the loopback address by default."""
from __future__ import annotations

import ipaddress
import sys

import click


LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> tuple[str, ...] | None:
    """The Host headers a loopback server answers (a page elsewhere that rebinds its DNS name to
    127.0.0.1 is refused); None (any) when serving on the network, as the operator chose."""
    if not is_loopback(host):
        return None
    bare = host.strip("[]")
    names = (bare, f"[{bare}]" if ":" in bare else bare, "127.0.0.1", "localhost", "::1", "[::1]")
    return tuple(dict.fromkeys(names))  # IPv6 hosts as Starlette reads them from the Host header: "[::1]"


@click.command("serve")
@click.option("--scenarios", "scenario_dirs", multiple=True, type=click.Path(file_okay=False),
              help="A folder of scenario files the pages and the API may read (repeatable; default: the bundled "
                   "scenarios). Nothing outside these folders is read.")
@click.option("--cog", "cog_dirs", multiple=True, metavar="DIR", type=click.Path(file_okay=False),
              help="A COG folder (its cog.yaml and fund files) or a bundled COG's name; repeatable, to serve several "
                   "COGs side by side (default: the current COG: BUDGETRULES_COG, else the bundled default).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the server to the network (a warning says so).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(("critical", "error", "warning", "info", "debug")), help="uvicorn's log level.")
def serve_cmd(scenario_dirs, cog_dirs, host, port, log_level):
    """Serve the JSON API and the pages (Virement, Audit, Credits, Explain) on http://HOST:PORT/.

    \b
    Example:
      budgetrules serve                                  # http://127.0.0.1:8000/
      budgetrules serve --scenarios scenarios --port 8080
    The API is described at /api/openapi.json. Request bodies are limited to 1 MB. Ctrl-C stops it.
    """
    from pathlib import Path

    import uvicorn

    from ..web.app import create_app
    from ..web.state import make_settings

    settings = make_settings([Path(d) for d in scenario_dirs], [Path(d) for d in cog_dirs],
                             allowed_hosts=allowed_hosts(host))
    if not is_loopback(host):
        click.echo(f"warning: serving on {host}, not on the loopback address: anyone who can reach this machine on "
                   f"port {port} can use the server (it has no login). Use --host 127.0.0.1 to keep it local.",
                   err=True)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    folders = ", ".join(str(f) for f in settings.folders)
    click.echo(f"budgetrules serving on http://{shown}:{port}/ (API: /api/openapi.json; scenarios: {folders}); "
               "Ctrl-C stops it.", err=True)
    sys.stderr.flush()
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level in ("info", "debug"),
                server_header=False)
