"""`python -m outsourcecalc` runs the command line."""

from .cli import main

main()
