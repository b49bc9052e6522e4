"""`python -m sessionlint` and `sessionlint-lsp`: run the executable with the same arguments."""

import os
import sys

from sessionlint import find_sessionlint_bin


def _run(args):
    binary = find_sessionlint_bin()
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.call([binary, *args]))
    # Replace this process: the exit code, signals and stdio are the executable's own.
    os.execv(binary, [binary, *args])


def main():
    _run(sys.argv[1:])


def lsp():
    _run(["--lsp", *sys.argv[1:]])


if __name__ == "__main__":
    main()
