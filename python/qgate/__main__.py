"""`python -m qgate …` runs the qgate binary with the same arguments and exit code."""

import os
import subprocess
import sys

from qgate import find_qgate_bin


def main() -> int:
    """Run the binary; on POSIX replace this process, elsewhere wait for it."""
    qgate = find_qgate_bin()
    if os.name == "posix":
        os.execv(qgate, [qgate, *sys.argv[1:]])
    return subprocess.call([qgate, *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
