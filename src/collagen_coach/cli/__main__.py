"""``python -m collagen_coach.cli``: the same as the ``collagen-coach`` command."""

from collagen_coach.cli import main

main()
