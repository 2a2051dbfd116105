"""`python -m renewcast.cli`."""

from renewcast.cli import main

main()
