"""Front doors: settings, service layer, HTTP API, web pages and the CLI."""
