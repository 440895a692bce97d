"""The settings django-stubs' mypy plugin reads: the product's own, with nothing left written.

``settings.py`` makes the data folder, and a signing key in it, when it is imported. A type check
must work with nothing set and leave the user's data folder alone, so it reads the settings with a
fixed key and a throwaway folder, removed as soon as they are read (the plugin needs their values,
not the folder); the plugin puts the environment back afterwards.
"""

import os
import shutil
import tempfile

_HOME = tempfile.mkdtemp(prefix="collagen-coach-type-check-")
os.environ["COLLAGEN_COACH_HOME"] = _HOME
os.environ["SECRET_KEY"] = "type checks sign nothing"
try:
    from collagen_coach.web.settings import *  # noqa: F403
finally:
    shutil.rmtree(_HOME, ignore_errors=True)
