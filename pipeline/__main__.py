"""``python -m pipeline`` is the ``leaflets`` command."""

import sys


def run() -> int:
    """The command. Ctrl-C while it is still starting (importing) ends it as quietly as
    Ctrl-C later does: nothing has been written yet."""
    try:
        from .cli import main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return main()


if __name__ == "__main__":
    sys.exit(run())
