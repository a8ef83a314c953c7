"""``python -m vien`` runs the ``vien`` command."""

from .cli.main import main

if __name__ == "__main__":
    main()
