"""The state-machine core: case kinds, guards and rules. Imports nothing of ours."""
