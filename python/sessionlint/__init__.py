"""Session Lint: the standalone executable, installed into the environment's scripts folder."""

import os
import sys
import sysconfig


def find_sessionlint_bin() -> str:
    """The `sessionlint` executable this package installed, wherever pip put the scripts."""
    name = "sessionlint" + (".exe" if sys.platform == "win32" else "")
    candidates = [
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", vars={"base": sys.base_prefix}),
        sysconfig.get_path("scripts", scheme=f"{os.name}_user") if sys.version_info >= (3, 10) else None,
        os.path.dirname(sys.executable),
    ]
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(f"{name} is not installed next to this Python ({', '.join(filter(None, candidates))})")
