"""qgate's binary, installed by the wheel: `find_qgate_bin()` says where it is."""

import os
import sys
import sysconfig


def find_qgate_bin() -> str:
    """The path of the `qgate` executable this package was installed with."""
    exe = "qgate" + (sysconfig.get_config_var("EXE") or "")
    schemes = [sysconfig.get_default_scheme()]
    if sys.version_info >= (3, 10):
        schemes.append(sysconfig.get_preferred_scheme("user"))
    for scheme in schemes:
        path = os.path.join(sysconfig.get_path("scripts", scheme), exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(f"the {exe} executable was not found next to this Python")
