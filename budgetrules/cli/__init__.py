"""The `budgetrules` command line (click): thin, it parses, calls the library and prints.

Every user mistake ends as a message naming file, line and key, exit code 2, no traceback."""
from __future__ import annotations

import sys

import click

from ..core.errors import InputErrors

FORMATS = ("table", "json", "csv", "md")


class Choice(click.Choice):
    """click.Choice whose error names the nearest valid value ("did you mean 'authorised'?")."""

    def get_invalid_choice_message(self, value, ctx):  # click >= 8.2
        from ..core.errors import nearest

        message = super().get_invalid_choice_message(value, ctx)
        near = nearest(str(value), [str(c) for c in self.choices])
        return f"{message} — did you mean {near!r}?" if near else message


class CliError(click.ClickException):
    """A user error found by the command itself (exit code 2)."""

    exit_code = 2


def output_option(f):
    return click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to FILE atomically instead of printing.")(f)


class Group(click.Group):
    """Turns InputErrors into `file:line: message` lines and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            n = len(exc.problems)
            click.echo(f"{n} error{'s' if n > 1 else ''}: nothing was written.", err=True)
            ctx.exit(2)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for developers).")
@click.version_option(package_name="budgetrules")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Budget rules of the COG CANSSM 2022-2024: authorised credits, virements, audit.

    \b
    Example:
      budgetrules run                      # the bundled central scenario
      budgetrules virement BNGA A-I-1 A-I-2-INFO "400 k€" --year 2023
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _register() -> None:
    from . import funds  # noqa: F401  (commands register themselves on `main`)
    from . import run  # noqa: F401
    from . import execution  # noqa: F401


_register()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
