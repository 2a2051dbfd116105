"""`python -m renewcast`."""

from renewcast.cli import main

main()
