"""Running Batchwise for a school: `python -m deploy.school` (see README, "Running it for a school")."""
