"""Memory a server process gives back: large blocks returned to the system as soon as freed."""

from __future__ import annotations

import ctypes
import ctypes.util

# glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
# Blocks from 1 MB up (a decoded photo's rows, Pillow's 16 MB blocks) are mapped on their own
# and unmapped when freed; 2 arenas instead of one per thread and core.
_MMAP_THRESHOLD_BYTES = 1 << 20
_ARENAS = 2


def give_large_blocks_back_when_freed() -> bool:
    """Make freed photo memory go back to the system at once (glibc only); give whether it did.

    By default glibc raises its mmap threshold each time a large block is freed (up to 32 MB)
    and keeps one heap per thread: after a few photos each of a server's threads holds on to
    the memory of the largest photo it decoded, and the process keeps hundreds of MB it no
    longer uses. A fixed threshold maps every large block on its own and unmaps it when freed.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows)
        return False
    return bool(
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES) and mallopt(_M_ARENA_MAX, _ARENAS)
    )
