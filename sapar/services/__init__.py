"""The service layer: use cases over the unit of work; the front doors call only these."""
