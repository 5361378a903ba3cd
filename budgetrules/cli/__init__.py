"""The `budgetrules` command line (click): thin, it parses, calls the library and prints.

Every user mistake ends as a message naming file, line and key, exit code 2, no traceback; an output
that cannot be written (a full disk) as one line naming it and the OS error, exit code 74; a bug as
one line saying so, exit code 70 (`--debug` shows the traceback in every case)."""
from __future__ import annotations

import sys

import click

from ..core.errors import InputErrors
from ..io.output import STDOUT, OutputError
from .options import cog_option

INTERNAL_ERROR = 70
"""Exit code of a crash (EX_SOFTWARE of sysexits.h): not 0 (done), 1 (the answer is no) or 2 (the
input could not be used), so that a script can tell a bug from a refusal."""
OUTPUT_ERROR = 74
"""Exit code when the output could not be written (EX_IOERR of sysexits.h): a full disk, an I/O
error — a problem of the machine, neither of the input nor of budgetrules."""


class Group(click.Group):
    """Turns InputErrors into `file:line: message` lines and exit code 2, and any other exception
    (a bug) into one line and exit code INTERNAL_ERROR (70); `--debug` shows the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InputErrors as exc:
            _traceback_if_debug(ctx)
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            n = len(exc.problems)
            click.echo(f"{n} error{'s' if n > 1 else ''}: nothing was written.", err=True)
            ctx.exit(2)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OutputError as exc:
            _traceback_if_debug(ctx)
            if exc.output == STDOUT:
                _quiet_stdout()  # what is left in stdout's buffer would fail again at the exit
            click.echo(f"error: {exc}", err=True)
            ctx.exit(OUTPUT_ERROR)
        except BrokenPipeError:  # the reader of our output went away (`budgetrules run | head`): not a crash
            _quiet_stdout()
            ctx.exit(1)
        except Exception as exc:  # noqa: BLE001 - a crash must not look like an answer
            from ..core.errors import excerpt

            _traceback_if_debug(ctx)
            command = " ".join(["budgetrules", "--debug"] + ([ctx.invoked_subcommand, "…"] if ctx.invoked_subcommand else []))
            how = "the traceback is above" if _debug(ctx) else f"run `{command}` to see the traceback"
            click.echo(f"internal error ({type(exc).__name__}: {excerpt(str(exc), 120)}) — a bug of budgetrules, "
                       f"not a problem of the input; {how}.", err=True)
            ctx.exit(INTERNAL_ERROR)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


def _traceback_if_debug(ctx: click.Context) -> None:
    if _debug(ctx):
        import traceback

        traceback.print_exc(file=sys.stderr)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail again on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a file descriptor
        pass


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for developers).")
@cog_option
@click.version_option(package_name="budgetrules")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Budget rules of a COG's budget annex: authorised credits, virements, audit (the bundled COGs:
    `budgetrules cogs`).

    \b
    Example:
      budgetrules run                      # the central scenario of the default COG
      budgetrules virement BNGA A-I-1 A-I-2-INFO "400 k€" --year 2023
      budgetrules --cog funds/exemple-2025-2029 funds   # another COG: a folder, or a name `cogs` lists
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


# The commands, each defined in its own module (which imports nothing of this one: no cycle).
from . import execution, funds, run, serve, virement  # noqa: E402

for _command in (funds.cogs_cmd, funds.funds_cmd, run.run_cmd, run.audit_cmd, run.bilan_cmd, run.explain_cmd, run.test_cmd,
                 virement.virement_cmd, virement.available_cmd, execution.execution_cmd, serve.serve_cmd):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
