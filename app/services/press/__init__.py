"""Press releases about held meetings (no Qt): photo clearance, the draft, issuing it."""
