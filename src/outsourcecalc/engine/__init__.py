"""The cost model (model.py), break-even volume (breakeven.py) on the one first-crossing
search (roots.py), chunked batches (batch.py), and one scenario's results (results.py)."""
