"""A pytest plugin (`-p spawn_everything`) that starts every child process the way Windows and macOS do: spawned.

multiprocessing's default (DataLoader workers) becomes spawn, and so do tests/dist_support.py's CPU ranks. A
spawned child imports the parent's modules afresh by name and unpickles what it is handed, so this shows on
Linux whether the private module names of the code under test survive that.
"""

import multiprocessing

import dist_support

multiprocessing.set_start_method("spawn", force=True)
dist_support.start_method = lambda device: "spawn"
