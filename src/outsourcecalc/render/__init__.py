"""Renderers: each formats results for one output format and never computes them."""
