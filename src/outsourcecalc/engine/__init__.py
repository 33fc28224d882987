"""The cost model: pure arithmetic over a batch of scenarios, and its results."""
