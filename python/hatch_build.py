"""Puts the executable among the wheel's scripts and tags the wheel for the platform it runs on."""

import os

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PlatformTag(BuildHookInterface):
    def initialize(self, version, build_data):
        # Linux x86-64 with glibc 2.28 or later, as the Node.js binary inside requires.
        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-manylinux_2_28_x86_64"
        # `<name>.data/scripts/` is installed into the environment's bin/: `sessionlint` is the
        # executable itself, as ruff's wheels do, so no Python starts before it.
        binary = os.path.join(self.root, "bin", "sessionlint")
        data = f"sessionlint-{self.metadata.version}.data/scripts/sessionlint"
        build_data["force_include"][binary] = data
