"""``python -m unseen``: the same as the ``unseen`` command."""

from unseen.cli import main

main()
