"""The `cadenza` command's entry point: Ctrl-C is handled from its first instant.

Loading the CLI takes about half a second; a Ctrl-C in that time gets the same one line
and exit code 130 as one during a run (`cadenza.cli.interrupt`), not a traceback. This
module imports only the standard library before it takes over SIGINT.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130


def _while_starting(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write("interrupted: stopped while starting; nothing was run.\n")
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def main() -> None:
    signal.signal(signal.SIGINT, _while_starting)
    from cadenza.cli import main as run_command

    signal.signal(signal.SIGINT, signal.default_int_handler)  # the commands handle it now
    run_command()
