"""The HTTP API: the same operations as the pages, as JSON, for bearer-token clients."""
