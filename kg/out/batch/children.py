"""Processes a build starts die with it: kill -9 of ``kg build`` leaves no worker or page writer behind.

Linux delivers a chosen signal to a process when its parent ends
(``prctl(PR_SET_PDEATHSIG)``), whatever ended the parent, so a forked page
writer or a pool worker cannot outlive the build and keep holding the output
folder's lock. Elsewhere this is a no-op.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have this process killed when its parent (process ``parent``) ends; exit now if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request above was made
        os._exit(1)
