"""The network page: organisations, people, search and person details."""
