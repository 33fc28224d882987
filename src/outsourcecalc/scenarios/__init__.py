"""Many scenarios at once: sweeps, sensitivity, Monte Carlo, baselines, gates."""
