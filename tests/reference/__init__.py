"""The reference implementation: an independent implementation of the contract, used only by tests.

model.py transcribes SPEC sections 1-4 literally, in plain Python, and shares no code with
``src/outsourcecalc``: test_against_reference.py checks the real engine against it, and
test_reference_self.py checks it on its own (hand-checked cases and properties). Nothing
under ``src/`` may import it. Tests use it as ``from reference import model as ref``.
"""
