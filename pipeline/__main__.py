"""``python -m pipeline`` runs the ``vien`` command."""

from .cli import main

if __name__ == "__main__":
    main()
